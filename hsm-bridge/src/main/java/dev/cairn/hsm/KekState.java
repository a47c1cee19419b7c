package dev.cairn.hsm;

/**
 * The state of one KEK generation, as the token enforces it through CKA_ENCRYPT and CKA_DECRYPT
 * (changed with C_SetAttributeValue): a tampered state directory cannot re-enable a key.
 */
public enum KekState {
    /** Wraps new data keys and unwraps old ones (encrypt and decrypt allowed). */
    ACTIVE,
    /** Replaced by a newer generation: unwraps the records still under it, wraps nothing (decrypt only). */
    RETIRED,
    /** Refuses everything until re-enabled with approval (neither allowed). */
    DISABLED;

    static KekState of(boolean encrypt, boolean decrypt) {
        if (decrypt) {
            return encrypt ? ACTIVE : RETIRED;
        }
        return DISABLED;
    }
}
