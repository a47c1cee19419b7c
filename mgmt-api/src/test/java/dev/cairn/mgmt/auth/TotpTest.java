package dev.cairn.mgmt.auth;

import dev.cairn.hsm.testing.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** docs/auth.md, section 4. */
class TotpTest {
    static final TotpSecret SEED20 = TotpSecret.of("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
    static final TotpSecret SEED32 = TotpSecret.of("12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII));
    static final TotpSecret SEED64 = TotpSecret.of(("12345678901234567890123456789012345678901234567890123456789012"
            + "34").getBytes(StandardCharsets.US_ASCII));
    static final long[] TIMES = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};

    static String rfcCode(TotpAlgorithm alg, TotpSecret seed, long time) {
        TotpVerifier v = new TotpVerifier(alg, 8, Duration.ofSeconds(30), 1, new TestClock(Instant.EPOCH));
        return v.code(seed, time / 30);
    }

    @Test
    void rfc6238AppendixBVectors() {
        String[] sha1 = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
        String[] sha256 = {"46119246", "68084774", "67062674", "91819424", "90698825", "77737706"};
        String[] sha512 = {"90693936", "25091201", "99943326", "93441116", "38618901", "47863826"};
        for (int i = 0; i < TIMES.length; i++) {
            assertThat(rfcCode(TotpAlgorithm.SHA1, SEED20, TIMES[i])).as("SHA1 %d", TIMES[i]).isEqualTo(sha1[i]);
            assertThat(rfcCode(TotpAlgorithm.SHA256, SEED32, TIMES[i])).as("SHA256 %d", TIMES[i]).isEqualTo(sha256[i]);
            assertThat(rfcCode(TotpAlgorithm.SHA512, SEED64, TIMES[i])).as("SHA512 %d", TIMES[i]).isEqualTo(sha512[i]);
        }
    }

    @Test
    void verifyThroughThePublicPathAtAnRfcTime() {
        // RFC time 1111111109 (step 37037036), SHA1, 8 digits: 07081804
        TestClock clock = new TestClock(Instant.ofEpochSecond(1111111109L));
        TotpVerifier v = new TotpVerifier(TotpAlgorithm.SHA1, 8, Duration.ofSeconds(30), 1, clock);
        assertThat(v.verify(SEED20, "07081804", TotpVerifier.NO_STEP_USED)).hasValue(37037036L);
        assertThat(v.verify(SEED20, "07081805", TotpVerifier.NO_STEP_USED)).isEmpty();
        // the 6-digit enrolled verifier takes the last six digits
        assertThat(TotpVerifier.enrolled(clock).verify(SEED20, "081804", TotpVerifier.NO_STEP_USED)).hasValue(37037036L);
    }

    @Test
    void oneStepEitherSideAndNoMore() {
        TestClock clock = new TestClock(Instant.ofEpochSecond(1_800_000_000L));
        TotpVerifier v = TotpVerifier.enrolled(clock);
        long now = 1_800_000_000L / 30;
        for (long delta = -3; delta <= 3; delta++) {
            OptionalLong r = v.verify(SEED20, v.code(SEED20, now + delta), TotpVerifier.NO_STEP_USED);
            if (Math.abs(delta) <= 1) {
                assertThat(r).as("delta %d", delta).hasValue(now + delta);
            } else {
                assertThat(r).as("delta %d", delta).isEmpty();
            }
        }
    }

    @Test
    void aUsedStepAndEveryEarlierOneAreRefused() {
        TestClock clock = new TestClock(Instant.ofEpochSecond(1_800_000_000L));
        TotpVerifier v = TotpVerifier.enrolled(clock);
        long now = 1_800_000_000L / 30;
        String code = v.code(SEED20, now);
        long used = v.verify(SEED20, code, TotpVerifier.NO_STEP_USED).orElseThrow();
        assertThat(used).isEqualTo(now);
        assertThat(v.verify(SEED20, code, used)).isEmpty(); // replay within the same step
        assertThat(v.verify(SEED20, v.code(SEED20, now - 1), used)).isEmpty(); // older code after a newer one
        clock.advance(Duration.ofSeconds(30));
        assertThat(v.verify(SEED20, code, used)).isEmpty(); // still inside the window, still refused
        assertThat(v.verify(SEED20, v.code(SEED20, now + 1), used)).hasValue(now + 1);
    }

    @Test
    void malformedCodesAreRefused() {
        TestClock clock = new TestClock(Instant.ofEpochSecond(1_800_000_000L));
        TotpVerifier v = TotpVerifier.enrolled(clock);
        String good = v.code(SEED20, 1_800_000_000L / 30);
        for (String bad : new String[] {null, "", good.substring(1), good + "0", " " + good.substring(1), "12345a",
                "\u0661\u0662\u0663\u0664\u0665\u0666"}) {
            assertThat(v.verify(SEED20, bad, TotpVerifier.NO_STEP_USED)).as(String.valueOf(bad)).isEmpty();
        }
        clock.set(Instant.ofEpochSecond(-100));
        assertThat(v.verify(SEED20, "000000", TotpVerifier.NO_STEP_USED)).isEmpty();
    }

    @Test
    void generatedSecretsAre160BitsAndRoundTripThroughBase32() throws Exception {
        TotpSecret s = TotpSecret.generate(new SecureRandom());
        assertThat(s.bytes()).hasSize(20);
        assertThat(s.toBase32()).matches("[A-Z2-7]{32}");
        assertThat(TotpSecret.fromBase32(s.toBase32())).isEqualTo(s);
        assertThat(TotpSecret.fromBase32(s.toBase32().toLowerCase())).isEqualTo(s);
        assertThat(TotpSecret.generate(new SecureRandom())).isNotEqualTo(s);
        // RFC 4648 section 10: "foobar" -> MZXW6YTBOI; the RFC 6238 seed
        assertThat(SEED20.toBase32()).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        for (String bad : new String[] {"", "GEZDGNBV!", "MZXW6YTBOI", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1"}) {
            assertThatThrownBy(() -> TotpSecret.fromBase32(bad)).isInstanceOf(MalformedCredentialException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad.isEmpty() ? "\u0000" : bad));
        }
    }

    @Test
    void toStringNeverShowsTheSecret() {
        TotpSecret s = TotpSecret.generate(new SecureRandom());
        assertThat(s.toString()).doesNotContain(s.toBase32()).doesNotContain(s.toBase32().substring(0, 8));
    }

    @Test
    void enrollmentUriEscapesIssuerAndAccount() {
        String uri = TotpEnrollment.uri("Cairn Clinic: Nord", "dr.müller&co@example?#/%", SEED20);
        assertThat(uri).isEqualTo("otpauth://totp/Cairn%20Clinic%3A%20Nord:dr.m%C3%BCller%26co%40example%3F%23%2F%25"
                + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Cairn%20Clinic%3A%20Nord&algorithm=SHA1&digits=6&period=30");
        assertThat(java.net.URI.create(uri).getScheme()).isEqualTo("otpauth");
        assertThatThrownBy(() -> TotpEnrollment.uri("", "alice", SEED20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TotpEnrollment.uri("Cairn", "", SEED20)).isInstanceOf(IllegalArgumentException.class);
    }
}
