package dev.cairn.mgmt.identity;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.auth.LockoutState;
import dev.cairn.mgmt.webauthn.Passkey;

/** The plaintext JSON inside users.sealed (docs/formats/user-store.md, section 3). */
final class UserCodec {
    static final String FORMAT = "cairn-users";
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private UserCodec() {
    }

    static byte[] encode(Map<String, User> users) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode arr = root.putArray("users");
        for (User u : users.values()) {
            ObjectNode o = arr.addObject();
            o.put("username", u.username());
            ArrayNode roles = o.putArray("roles");
            u.roles().stream().map(Role::id).sorted().forEach(roles::add);
            o.put("passwordHash", u.passwordHash());
            ObjectNode l = o.putObject("lockout");
            l.put("failures", u.lockout().failures());
            putInstant(l, "lastFailure", u.lockout().lastFailure());
            l.put("locked", u.lockout().locked());
            o.put("disabled", u.disabled());
            if (u.totp().isPresent()) {
                TotpState t = u.totp().get();
                ObjectNode to = o.putObject("totp");
                to.put("secret", B64.encodeToString(t.secret()));
                to.put("confirmed", t.confirmed());
                to.put("lastUsedStep", t.lastUsedStep());
            } else {
                o.putNull("totp");
            }
            ArrayNode rc = o.putArray("recoveryCodeHashes");
            u.recoveryCodeHashes().forEach(rc::add);
            ArrayNode used = o.putArray("usedRecoveryCodes");
            u.usedRecoveryCodes().forEach(used::add);
            ArrayNode pks = o.putArray("passkeys");
            for (Passkey p : u.passkeys()) {
                ObjectNode po = pks.addObject();
                po.put("credentialId", B64.encodeToString(p.credentialId()));
                po.put("credential", B64.encodeToString(p.credential()));
                po.put("signCount", p.signCount());
                po.put("label", p.label());
                po.put("createdAt", p.createdAt().toString());
            }
            o.put("webauthnUserHandle", B64.encodeToString(u.webauthnUserHandle()));
            o.put("createdAt", u.createdAt().toString());
            putInstant(o, "mfaEnrolledAt", u.mfaEnrolledAt());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the user store", e);
        }
    }

    /** Decodes; any deviation from the format is {@link SealException}-free {@link IllegalStateException}. */
    static List<User> decode(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw bad("not JSON");
        }
        if (root == null || !root.isObject() || !FORMAT.equals(text(root, "format"))) {
            throw bad("format is not " + FORMAT);
        }
        JsonNode v = root.get("version");
        if (v == null || !v.isInt()) {
            throw bad("version missing");
        }
        if (v.intValue() != VERSION) {
            throw new IllegalStateException("user store version " + v.intValue() + " is not supported (this "
                    + "software reads version " + VERSION + "); run the software that wrote it or restore a backup");
        }
        JsonNode arr = root.get("users");
        if (arr == null || !arr.isArray()) {
            throw bad("users is not an array");
        }
        List<User> out = new ArrayList<>();
        for (JsonNode o : arr) {
            try {
                out.add(user(o));
            } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
                throw bad("an account record is malformed (" + e.getClass().getSimpleName() + ")");
            }
        }
        return out;
    }

    private static User user(JsonNode o) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (JsonNode r : array(o, "roles")) {
            roles.add(Role.ofId(r.asText()));
        }
        JsonNode l = req(o, "lockout");
        LockoutState lockout = new LockoutState(req(l, "failures").intValue(), instant(l, "lastFailure"),
                bool(l, "locked"));
        Optional<TotpState> totp = Optional.empty();
        JsonNode t = req(o, "totp");
        if (!t.isNull()) {
            totp = Optional.of(new TotpState(B64D.decode(text(t, "secret")), bool(t, "confirmed"),
                    req(t, "lastUsedStep").longValue()));
        }
        List<String> rc = new ArrayList<>();
        for (JsonNode h : array(o, "recoveryCodeHashes")) {
            rc.add(h.textValue());
        }
        Set<Integer> used = new TreeSet<>();
        for (JsonNode i : array(o, "usedRecoveryCodes")) {
            if (!i.isInt()) {
                throw new IllegalArgumentException("index");
            }
            used.add(i.intValue());
        }
        List<Passkey> pks = new ArrayList<>();
        for (JsonNode p : array(o, "passkeys")) {
            pks.add(new Passkey(B64D.decode(text(p, "credentialId")), B64D.decode(text(p, "credential")),
                    req(p, "signCount").longValue(), text(p, "label"), Instant.parse(text(p, "createdAt"))));
        }
        return new User(text(o, "username"), roles, text(o, "passwordHash"), lockout, bool(o, "disabled"), totp, rc,
                used, pks, B64D.decode(text(o, "webauthnUserHandle")), Instant.parse(text(o, "createdAt")),
                instant(o, "mfaEnrolledAt"));
    }

    private static void putInstant(ObjectNode o, String name, Instant t) {
        if (t == null) {
            o.putNull(name);
        } else {
            o.put(name, t.toString());
        }
    }

    private static JsonNode req(JsonNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null) {
            throw new IllegalArgumentException(name);
        }
        return n;
    }

    private static String text(JsonNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException(name);
        }
        return n.textValue();
    }

    private static boolean bool(JsonNode o, String name) {
        JsonNode n = req(o, name);
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(name);
        }
        return n.booleanValue();
    }

    private static JsonNode array(JsonNode o, String name) {
        JsonNode n = req(o, name);
        if (!n.isArray()) {
            throw new IllegalArgumentException(name);
        }
        return n;
    }

    private static Instant instant(JsonNode o, String name) {
        JsonNode n = req(o, name);
        return n.isNull() ? null : Instant.parse(text(o, name));
    }

    private static IllegalStateException bad(String what) {
        return new IllegalStateException("user store is damaged: " + what + "; restore it from backup");
    }
}
