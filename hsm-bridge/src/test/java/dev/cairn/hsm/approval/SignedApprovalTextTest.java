package dev.cairn.hsm.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignedApprovalTextTest {
    private static String text;

    @BeforeAll
    static void signOnce() {
        text = ApprovalFixtures.sign(ApprovalFixtures.record(), ApprovalFixtures.p256()).toText();
    }

    private static List<String> lines() {
        return new ArrayList<>(Arrays.asList(text.split("\n", -1)).subList(0, 10));
    }

    private static String join(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    private static void rejects(String bad, int line, String problem) {
        assertThatThrownBy(() -> SignedApproval.parse(bad))
                .isInstanceOfSatisfying(ApprovalFormatException.class, e -> assertThat(e.line()).isEqualTo(line))
                .hasMessageStartingWith("line " + line + ": ")
                .hasMessageContaining(problem)
                .hasMessageNotContaining("Offboarding")
                .hasMessageNotContaining("bob@");
    }

    @Test
    void toTextThenParseRoundTrips() {
        SignedApproval parsed = SignedApproval.parse(text);

        assertThat(parsed.record()).isEqualTo(ApprovalFixtures.record());
        assertThat(parsed.toText()).isEqualTo(text);
        assertThat(text).endsWith("\n").doesNotContain("\r");
        assertThat(lines().get(9)).startsWith("signature=").doesNotContain(" ");
    }

    @Test
    void emptyApproverListRoundTrips() {
        SignedApproval s = new SignedApproval(ApprovalFixtures.record("alice", List.of()), new byte[] {0x30, 0x00});

        assertThat(s.toText()).contains("\napprovers=\n");
        assertThat(SignedApproval.parse(s.toText())).isEqualTo(s);
    }

    @Test
    void signsThroughAGivenProvider() throws Exception {
        KeyPair kp = ApprovalFixtures.p256();
        SignedApproval s = SignedApproval.sign(ApprovalFixtures.record(), kp.getPrivate(), Security.getProvider("SunEC"));

        new SignedApprovalAuthorization(s, kp.getPublic(), 2)
                .authorize(ApprovalActions.KEY_DESTROY, "tenant:clinic-a", ApprovalFixtures.DURING);
    }

    @Test
    void signatureBytesAreCopied() {
        byte[] sig = {0x30, 0x00};
        SignedApproval s = new SignedApproval(ApprovalFixtures.record(), sig);
        sig[1] = 1;
        s.signature()[1] = 2;

        assertThat(s.signature()).containsExactly(0x30, 0x00);
        assertThat(s).isEqualTo(new SignedApproval(ApprovalFixtures.record(), new byte[] {0x30, 0x00}));
    }

    @Test
    void rejectsReorderedLines() {
        List<String> l = lines();
        l.set(2, lines().get(3));
        l.set(3, lines().get(2));

        rejects(join(l), 3, "key 'target' out of order, expected 'action'");
    }

    @Test
    void rejectsUnknownKey() {
        List<String> l = lines();
        l.add(5, "role=admin");

        rejects(join(l), 6, "unknown key 'role', expected 'approvers'");
    }

    @Test
    void rejectsDuplicateKeys() {
        List<String> l = lines();
        l.add(3, lines().get(2));
        rejects(join(l), 4, "duplicate key 'action'");

        List<String> afterSignature = lines();
        afterSignature.add("approvers=mallory,eve");
        rejects(join(afterSignature), 11, "duplicate key 'approvers'");
    }

    @Test
    void rejectsMissingTrailingLf() {
        rejects(text.substring(0, text.length() - 1), 10, "must end with a line feed");
    }

    @Test
    void rejectsCrLf() {
        rejects(text.replace("\n", "\r\n"), 1, "carriage return");
    }

    @Test
    void rejectsBlankLineAndTruncation() {
        rejects(text + "\n", 11, "unexpected line after the signature line");
        rejects(join(lines().subList(0, 7)), 8, "missing line 'expires-at=...'");
        rejects("", 1, "empty text");
    }

    @Test
    void rejectsWrongHeader() {
        rejects(text.replaceFirst("v1", "v2"), 1, "unsupported version 'v2'");
        rejects(text.replaceFirst("cairn-approval", "cairn-approvals"), 1, "expected the header 'cairn-approval v1'");
    }

    @Test
    void rejectsBadBase64() {
        List<String> l = lines();
        String sig = l.get(9);
        l.set(9, sig.substring(0, 20) + "*" + sig.substring(21));
        rejects(join(l), 10, "not valid base64");

        String twoBytes = new SignedApproval(ApprovalFixtures.record(), new byte[] {0x30, 0x00}).toText();
        assertThat(twoBytes).endsWith("\nsignature=MAA=\n");
        rejects(twoBytes.replace("=MAA=\n", "=MAA\n"), 10, "not canonical base64");
        rejects(twoBytes.replace("=MAA=\n", "=MAB=\n"), 10, "not canonical base64");
        rejects(twoBytes.replace("=MAA=\n", "=MA A=\n"), 10, "not valid base64");
        rejects(twoBytes.replace("=MAA=\n", "=MA\nA=\n"), 11, "unexpected line after the signature line");

        l.set(9, "signature=");
        rejects(join(l), 10, "signature is empty");
    }

    @Test
    void rejectsNonCanonicalValues() {
        rejects(text.replace("approved-at=2026-11-28T14:00:00Z", "approved-at=2026-11-28T14:00:00.000Z"), 7,
                "approved-at must look like 2026-11-28T14:00:00Z");
        rejects(text.replace("approved-at=2026-11-28T14:00:00Z", "approved-at=2026-13-28T14:00:00Z"), 7,
                "approved-at is not a valid date and time");
        rejects(text.replace("expires-at=2026-11-28T15:00:00Z", "expires-at=2026-11-28T23:59:60Z"), 8,
                "not in canonical form");
        rejects(text.replace("approved-at=2026-11-28T14:00:00Z", "approved-at=1969-12-31T23:59:59Z"), 7,
                "approved-at must be between 1970-01-01T00:00:00Z");
        rejects(text.replace("expires-at=2026-11-28T15:00:00Z", "expires-at=2026-11-28T13:00:00Z"), 8,
                "expiresAt must be after approvedAt");
        rejects(text.replace("bob@clinic-a.example,", "bob@clinic-a.example,,"), 6, "approvers[1] must match");
        rejects(text.replace("id=6f1c", "id=6F1C"), 2, "id must be a lowercase UUID");
        rejects(text.replace("Offboarding", "Offboarding\u00e9"), 9, "reason must be single-line printable ASCII");
    }
}
