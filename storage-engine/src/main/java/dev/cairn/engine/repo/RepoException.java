package dev.cairn.engine.repo;

/** The repository cannot do what was asked; the message says why and what to do. Never contains file data or PHI. */
public class RepoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RepoException(String message) {
        super(message);
    }

    public RepoException(String message, Throwable cause) {
        super(message, cause);
    }
}
