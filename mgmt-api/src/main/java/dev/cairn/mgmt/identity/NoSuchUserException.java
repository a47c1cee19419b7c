package dev.cairn.mgmt.identity;

/** No account has that name; list the accounts to check the spelling. The message names it (an ID, not PHI). */
public final class NoSuchUserException extends RuntimeException {
    /** For the account {@code username}. */
    public NoSuchUserException(String username) {
        super("no account named " + username + "; list the accounts to check the name");
    }
}
