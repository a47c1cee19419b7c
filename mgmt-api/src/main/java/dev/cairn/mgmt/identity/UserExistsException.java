package dev.cairn.mgmt.identity;

/** An account with that name exists already; pick another name. The message names the account (an ID, not PHI). */
public final class UserExistsException extends RuntimeException {
    /** For the account {@code username}. */
    public UserExistsException(String username) {
        super("account " + username + " exists already; choose another name");
    }
}
