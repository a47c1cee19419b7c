package dev.cairn.tape.transport.iscsi;

/** The target broke the iSCSI protocol (RFC 7143), or sent something this initiator does not support. */
public final class IscsiProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IscsiProtocolException(String message) {
        super(message);
    }
}
