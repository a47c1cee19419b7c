package dev.cairn.mgmt.auth;

/**
 * A stored credential record (a PHC string, a base32 secret) does not parse (docs/auth.md, section 2). Permanent:
 * retrying does not help; the record must be replaced. The message names the field that is wrong, never its value.
 */
public final class MalformedCredentialException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A malformed record.
     *
     * @param what which part of the record is wrong, e.g. "salt is not base64"; must not contain the record */
    public MalformedCredentialException(String what) {
        super("malformed credential record: " + what);
    }
}
