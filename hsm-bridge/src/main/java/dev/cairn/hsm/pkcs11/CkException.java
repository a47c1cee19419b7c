package dev.cairn.hsm.pkcs11;

/** A PKCS#11 function returned something other than CKR_OK. Carries the function and the CK_RV, never data. */
public final class CkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long rv;
    private final String function;

    public CkException(String function, long rv) {
        super(function + " returned " + CkrCodes.name(rv));
        this.function = function;
        this.rv = rv;
    }

    public long rv() {
        return rv;
    }

    public String rvName() {
        return CkrCodes.name(rv);
    }

    public String function() {
        return function;
    }
}
