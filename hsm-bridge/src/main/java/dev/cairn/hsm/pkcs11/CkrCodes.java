package dev.cairn.hsm.pkcs11;

import java.util.Map;

/**
 * PKCS#11 return values (CK_RV) that Cairn names in its errors, from the OASIS PKCS#11 v2.40 header
 * {@code pkcs11t.h}. The numbers are defined by the standard; do not change them.
 */
public final class CkrCodes {
    public static final long CKR_OK = 0x0L;
    public static final long CKR_HOST_MEMORY = 0x2L;
    public static final long CKR_SLOT_ID_INVALID = 0x3L;
    public static final long CKR_GENERAL_ERROR = 0x5L;
    public static final long CKR_FUNCTION_FAILED = 0x6L;
    public static final long CKR_ARGUMENTS_BAD = 0x7L;
    public static final long CKR_ATTRIBUTE_READ_ONLY = 0x10L;
    public static final long CKR_ATTRIBUTE_SENSITIVE = 0x11L;
    public static final long CKR_ATTRIBUTE_TYPE_INVALID = 0x12L;
    public static final long CKR_ATTRIBUTE_VALUE_INVALID = 0x13L;
    public static final long CKR_DATA_LEN_RANGE = 0x21L;
    public static final long CKR_DEVICE_ERROR = 0x30L;
    public static final long CKR_DEVICE_MEMORY = 0x31L;
    public static final long CKR_DEVICE_REMOVED = 0x32L;
    public static final long CKR_ENCRYPTED_DATA_INVALID = 0x40L;
    public static final long CKR_FUNCTION_NOT_SUPPORTED = 0x54L;
    public static final long CKR_KEY_HANDLE_INVALID = 0x60L;
    public static final long CKR_KEY_FUNCTION_NOT_PERMITTED = 0x68L;
    public static final long CKR_MECHANISM_INVALID = 0x70L;
    public static final long CKR_MECHANISM_PARAM_INVALID = 0x71L;
    public static final long CKR_OBJECT_HANDLE_INVALID = 0x82L;
    public static final long CKR_OPERATION_ACTIVE = 0x90L;
    public static final long CKR_PIN_INCORRECT = 0xA0L;
    public static final long CKR_PIN_LEN_RANGE = 0xA2L;
    public static final long CKR_PIN_LOCKED = 0xA4L;
    public static final long CKR_SESSION_CLOSED = 0xB0L;
    public static final long CKR_SESSION_COUNT = 0xB1L;
    public static final long CKR_SESSION_HANDLE_INVALID = 0xB3L;
    public static final long CKR_TEMPLATE_INCOMPLETE = 0xD0L;
    public static final long CKR_TEMPLATE_INCONSISTENT = 0xD1L;
    public static final long CKR_TOKEN_NOT_PRESENT = 0xE0L;
    public static final long CKR_TOKEN_NOT_RECOGNIZED = 0xE1L;
    public static final long CKR_UNWRAPPING_KEY_HANDLE_INVALID = 0xF0L;
    public static final long CKR_USER_ALREADY_LOGGED_IN = 0x100L;
    public static final long CKR_USER_NOT_LOGGED_IN = 0x101L;
    public static final long CKR_USER_PIN_NOT_INITIALIZED = 0x102L;
    public static final long CKR_WRAPPED_KEY_INVALID = 0x110L;
    public static final long CKR_WRAPPED_KEY_LEN_RANGE = 0x112L;
    public static final long CKR_CRYPTOKI_NOT_INITIALIZED = 0x190L;
    public static final long CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191L;

    private static final Map<Long, String> NAMES = Map.ofEntries(
            Map.entry(CKR_OK, "CKR_OK"),
            Map.entry(CKR_HOST_MEMORY, "CKR_HOST_MEMORY"),
            Map.entry(CKR_SLOT_ID_INVALID, "CKR_SLOT_ID_INVALID"),
            Map.entry(CKR_GENERAL_ERROR, "CKR_GENERAL_ERROR"),
            Map.entry(CKR_FUNCTION_FAILED, "CKR_FUNCTION_FAILED"),
            Map.entry(CKR_ARGUMENTS_BAD, "CKR_ARGUMENTS_BAD"),
            Map.entry(CKR_ATTRIBUTE_READ_ONLY, "CKR_ATTRIBUTE_READ_ONLY"),
            Map.entry(CKR_ATTRIBUTE_SENSITIVE, "CKR_ATTRIBUTE_SENSITIVE"),
            Map.entry(CKR_ATTRIBUTE_TYPE_INVALID, "CKR_ATTRIBUTE_TYPE_INVALID"),
            Map.entry(CKR_ATTRIBUTE_VALUE_INVALID, "CKR_ATTRIBUTE_VALUE_INVALID"),
            Map.entry(CKR_DATA_LEN_RANGE, "CKR_DATA_LEN_RANGE"),
            Map.entry(CKR_DEVICE_ERROR, "CKR_DEVICE_ERROR"),
            Map.entry(CKR_DEVICE_MEMORY, "CKR_DEVICE_MEMORY"),
            Map.entry(CKR_DEVICE_REMOVED, "CKR_DEVICE_REMOVED"),
            Map.entry(CKR_ENCRYPTED_DATA_INVALID, "CKR_ENCRYPTED_DATA_INVALID"),
            Map.entry(CKR_FUNCTION_NOT_SUPPORTED, "CKR_FUNCTION_NOT_SUPPORTED"),
            Map.entry(CKR_KEY_HANDLE_INVALID, "CKR_KEY_HANDLE_INVALID"),
            Map.entry(CKR_KEY_FUNCTION_NOT_PERMITTED, "CKR_KEY_FUNCTION_NOT_PERMITTED"),
            Map.entry(CKR_MECHANISM_INVALID, "CKR_MECHANISM_INVALID"),
            Map.entry(CKR_MECHANISM_PARAM_INVALID, "CKR_MECHANISM_PARAM_INVALID"),
            Map.entry(CKR_OBJECT_HANDLE_INVALID, "CKR_OBJECT_HANDLE_INVALID"),
            Map.entry(CKR_OPERATION_ACTIVE, "CKR_OPERATION_ACTIVE"),
            Map.entry(CKR_PIN_INCORRECT, "CKR_PIN_INCORRECT"),
            Map.entry(CKR_PIN_LEN_RANGE, "CKR_PIN_LEN_RANGE"),
            Map.entry(CKR_PIN_LOCKED, "CKR_PIN_LOCKED"),
            Map.entry(CKR_SESSION_CLOSED, "CKR_SESSION_CLOSED"),
            Map.entry(CKR_SESSION_COUNT, "CKR_SESSION_COUNT"),
            Map.entry(CKR_SESSION_HANDLE_INVALID, "CKR_SESSION_HANDLE_INVALID"),
            Map.entry(CKR_TEMPLATE_INCOMPLETE, "CKR_TEMPLATE_INCOMPLETE"),
            Map.entry(CKR_TEMPLATE_INCONSISTENT, "CKR_TEMPLATE_INCONSISTENT"),
            Map.entry(CKR_TOKEN_NOT_PRESENT, "CKR_TOKEN_NOT_PRESENT"),
            Map.entry(CKR_TOKEN_NOT_RECOGNIZED, "CKR_TOKEN_NOT_RECOGNIZED"),
            Map.entry(CKR_UNWRAPPING_KEY_HANDLE_INVALID, "CKR_UNWRAPPING_KEY_HANDLE_INVALID"),
            Map.entry(CKR_USER_ALREADY_LOGGED_IN, "CKR_USER_ALREADY_LOGGED_IN"),
            Map.entry(CKR_USER_NOT_LOGGED_IN, "CKR_USER_NOT_LOGGED_IN"),
            Map.entry(CKR_USER_PIN_NOT_INITIALIZED, "CKR_USER_PIN_NOT_INITIALIZED"),
            Map.entry(CKR_WRAPPED_KEY_INVALID, "CKR_WRAPPED_KEY_INVALID"),
            Map.entry(CKR_WRAPPED_KEY_LEN_RANGE, "CKR_WRAPPED_KEY_LEN_RANGE"),
            Map.entry(CKR_CRYPTOKI_NOT_INITIALIZED, "CKR_CRYPTOKI_NOT_INITIALIZED"),
            Map.entry(CKR_CRYPTOKI_ALREADY_INITIALIZED, "CKR_CRYPTOKI_ALREADY_INITIALIZED"));

    private CkrCodes() {
    }

    /** The standard name of a return value, or its hex number when Cairn has no name for it. */
    public static String name(long rv) {
        String n = NAMES.get(rv);
        return n != null ? n : "CKR_0x" + Long.toHexString(rv).toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * True for the return values that mean the token or the session under us is gone. SunPKCS11 cannot
     * re-initialise a module, so the only cure is a restart of the process once the token is back.
     */
    public static boolean meansTokenLost(String ckrName) {
        return ckrName.equals("CKR_OBJECT_HANDLE_INVALID")
                || ckrName.equals("CKR_SESSION_HANDLE_INVALID")
                || ckrName.equals("CKR_SESSION_CLOSED")
                || ckrName.equals("CKR_TOKEN_NOT_PRESENT")
                || ckrName.equals("CKR_TOKEN_NOT_RECOGNIZED")
                || ckrName.equals("CKR_DEVICE_REMOVED")
                || ckrName.equals("CKR_DEVICE_ERROR")
                || ckrName.equals("CKR_SLOT_ID_INVALID")
                || ckrName.equals("CKR_CRYPTOKI_NOT_INITIALIZED")
                || ckrName.equals("CKR_USER_NOT_LOGGED_IN");
    }
}
