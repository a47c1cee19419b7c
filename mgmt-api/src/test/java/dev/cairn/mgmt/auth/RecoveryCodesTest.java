package dev.cairn.mgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/auth.md, section 5. */
class RecoveryCodesTest {
    final RecoveryCodes codes = new RecoveryCodes(new PasswordHasher(PasswordHasherTest.FAST, new SecureRandom()),
            new SecureRandom());

    @Test
    void tenGroupedBase32CodesStoredOnlyAsArgon2id() {
        IssuedRecoveryCodes issued = codes.issue();
        assertThat(issued.codes()).hasSize(10).doesNotHaveDuplicates()
                .allSatisfy(c -> assertThat(c).matches("[A-Z2-7]{5}-[A-Z2-7]{5}"));
        assertThat(issued.storedHashes()).hasSize(10).allSatisfy(h -> assertThat(h).startsWith("$argon2id$v=19$"));
        for (String c : issued.codes()) {
            assertThat(String.join("\n", issued.storedHashes())).doesNotContain(c).doesNotContain(c.replace("-", ""));
        }
    }

    @Test
    void eachCodeWorksOnceAtItsIndex() throws Exception {
        IssuedRecoveryCodes issued = codes.issue();
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String c = issued.codes().get(i);
            assertThat(codes.verify(c, issued.storedHashes(), used)).hasValue(i);
            used.add(i);
            assertThat(codes.verify(c, issued.storedHashes(), used)).isEmpty(); // single use
        }
    }

    @Test
    void entryIsForgivingAboutCaseSpacesAndHyphensOnly() throws Exception {
        IssuedRecoveryCodes issued = codes.issue();
        String c = issued.codes().get(3);
        String raw = c.replace("-", "");
        assertThat(codes.verify(c.toLowerCase(), issued.storedHashes(), Set.of())).hasValue(3);
        assertThat(codes.verify(raw.substring(0, 2) + " " + raw.substring(2), issued.storedHashes(), Set.of())).hasValue(3);
        assertThat(codes.verify(raw.substring(1), issued.storedHashes(), Set.of())).isEmpty();
        assertThat(codes.verify(raw + "A", issued.storedHashes(), Set.of())).isEmpty();
        assertThat(codes.verify(raw.substring(1) + "1", issued.storedHashes(), Set.of())).isEmpty(); // 1 is not base32
        assertThat(codes.verify(null, issued.storedHashes(), Set.of())).isEmpty();
        // a dotless i would upper-case to I under Unicode rules; only ASCII is folded
        assertThat(RecoveryCodes.normalize("\u0131" + raw.substring(1))).isNull();
    }

    @Test
    void aWrongCodeAndAnotherUsersCodeAreRefused() throws Exception {
        IssuedRecoveryCodes mine = codes.issue();
        IssuedRecoveryCodes theirs = codes.issue();
        assertThat(codes.verify(theirs.codes().get(0), mine.storedHashes(), Set.of())).isEmpty();
        assertThat(codes.verify("AAAAA-AAAAA", mine.storedHashes(), Set.of())).isEmpty();
    }

    @Test
    void aMalformedStoredRecordFailsClosed() {
        IssuedRecoveryCodes issued = codes.issue();
        List<String> stored = new ArrayList<>(issued.storedHashes());
        stored.set(9, "garbage");
        assertThatThrownBy(() -> codes.verify(issued.codes().get(0), stored, Set.of()))
                .isInstanceOf(MalformedCredentialException.class);
    }

    @Test
    void toStringShowsNoCodeAndNoHash() {
        IssuedRecoveryCodes issued = codes.issue();
        String s = issued.toString();
        for (int i = 0; i < 10; i++) {
            assertThat(s).doesNotContain(issued.codes().get(i)).doesNotContain(issued.codes().get(i).substring(0, 5))
                    .doesNotContain(issued.storedHashes().get(i).split("\\$")[4]);
        }
    }
}
