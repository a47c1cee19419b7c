package dev.cairn.mgmt.access;

/**
 * Where security alerts go (docs/access.md section 4): a break-glass use, a break-glass lockout. Implementations
 * must be thread safe, durable before returning, and must throw if the alert could not be recorded (callers refuse
 * the alerted action then). {@link FileAlertSink} is the appliance's sink.
 */
public interface AlertSink {
    /**
     * Raises an alert.
     *
     * @param kind    a short lowercase tag, {@code [a-z0-9-]{1,40}}, for example {@code break-glass}
     * @param message one line for a human; never a secret or PHI
     */
    void alert(String kind, String message);
}
