package dev.cairn.hsm;

/**
 * Receives every {@link KeyEvent}, synchronously, on the thread that ran the operation. An exception
 * thrown here reaches the caller of the operation (the audit trail is part of the operation: if it
 * cannot record, the caller must know).
 */
@FunctionalInterface
public interface KeyEventListener {
    void onEvent(KeyEvent event);
}
