package dev.cairn.hsm.pkcs11;

/**
 * PKCS#11 constants Cairn uses (OASIS PKCS#11 v2.40, {@code pkcs11t.h}). Defined by the standard: do not change.
 */
public final class Ck {
    // object classes
    public static final long CKO_CERTIFICATE = 0x1L;
    public static final long CKO_PUBLIC_KEY = 0x2L;
    public static final long CKO_PRIVATE_KEY = 0x3L;
    public static final long CKO_SECRET_KEY = 0x4L;

    // key types
    public static final long CKK_RSA = 0x0L;
    public static final long CKK_EC = 0x3L;
    public static final long CKK_AES = 0x1FL;

    // attributes
    public static final long CKA_CLASS = 0x0L;
    public static final long CKA_TOKEN = 0x1L;
    public static final long CKA_PRIVATE = 0x2L;
    public static final long CKA_LABEL = 0x3L;
    public static final long CKA_KEY_TYPE = 0x100L;
    public static final long CKA_ID = 0x102L;
    public static final long CKA_SENSITIVE = 0x103L;
    public static final long CKA_ENCRYPT = 0x104L;
    public static final long CKA_DECRYPT = 0x105L;
    public static final long CKA_WRAP = 0x106L;
    public static final long CKA_UNWRAP = 0x107L;
    public static final long CKA_SIGN = 0x108L;
    public static final long CKA_SIGN_RECOVER = 0x109L;
    public static final long CKA_VERIFY = 0x10AL;
    public static final long CKA_DERIVE = 0x10CL;
    public static final long CKA_VALUE_LEN = 0x161L;
    public static final long CKA_EXTRACTABLE = 0x162L;
    public static final long CKA_LOCAL = 0x163L;
    public static final long CKA_NEVER_EXTRACTABLE = 0x164L;
    public static final long CKA_ALWAYS_SENSITIVE = 0x165L;
    public static final long CKA_MODIFIABLE = 0x170L;

    // mechanisms
    public static final long CKM_RSA_PKCS_OAEP = 0x9L;
    public static final long CKM_SHA_1 = 0x220L;
    public static final long CKM_SHA256 = 0x250L;
    public static final long CKM_AES_GCM = 0x1087L;

    // OAEP
    public static final long CKG_MGF1_SHA1 = 0x1L;
    public static final long CKG_MGF1_SHA256 = 0x2L;
    public static final long CKZ_DATA_SPECIFIED = 0x1L;

    private Ck() {
    }
}
