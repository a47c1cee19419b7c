package dev.cairn.tape.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SenseCategoryTest {

    @ParameterizedTest(name = "{0}/{1}/{2} -> {3}")
    @CsvSource({
        // key, ASC, ASCQ, category
        "0x0, 0x00, 0x00, NO_SENSE",
        "0x0, 0x00, 0x01, NO_SENSE",                  // filemark
        "0x0, 0x00, 0x05, NO_SENSE",                  // tgt: SPACE past the last filemark
        "0x1, 0x17, 0x01, RECOVERED",
        "0x2, 0x04, 0x01, NOT_READY_BECOMING_READY",
        "0x2, 0x04, 0x07, NOT_READY_BECOMING_READY",  // an IMMED operation still running
        "0x2, 0x3A, 0x00, NOT_READY_NO_MEDIUM",
        "0x2, 0x3A, 0x04, NOT_READY_NO_MEDIUM",       // any 3A qualifier
        "0x2, 0x04, 0x00, NOT_READY_OTHER",
        "0x2, 0x04, 0x02, NOT_READY_OTHER",
        "0x2, 0x04, 0x03, NOT_READY_OTHER",
        "0x2, 0x04, 0x12, NOT_READY_OTHER",
        "0x3, 0x11, 0x00, MEDIUM_ERROR",
        "0x3, 0x31, 0x00, MEDIUM_ERROR",              // tgt: READ fixed at EOD
        "0x3, 0x0C, 0x00, MEDIUM_ERROR",              // tgt: WRITE(6) fixed with too few bytes
        "0x4, 0x44, 0x00, HARDWARE_ERROR",
        "0x5, 0x20, 0x00, ILLEGAL_REQUEST",
        "0x5, 0x24, 0x00, ILLEGAL_REQUEST",
        "0x5, 0x3B, 0x0E, ILLEGAL_REQUEST",
        "0x6, 0x28, 0x00, UNIT_ATTENTION",
        "0x6, 0x29, 0x00, UNIT_ATTENTION",
        "0x7, 0x27, 0x00, DATA_PROTECT",
        "0x8, 0x00, 0x00, BLANK_CHECK",
        "0x8, 0x00, 0x05, BLANK_CHECK",
        "0x9, 0x80, 0x00, OTHER",                     // vendor specific key
        "0xA, 0x1D, 0x00, OTHER",                     // copy aborted
        "0xB, 0x47, 0x00, ABORTED_COMMAND",
        "0xC, 0x00, 0x00, OTHER",                     // obsolete EQUAL
        "0xD, 0x00, 0x02, VOLUME_OVERFLOW",
        "0xE, 0x1D, 0x00, MISCOMPARE",
        "0xF, 0x00, 0x00, OTHER",
    })
    void mapping(String key, String asc, String ascq, SenseCategory expected) {
        assertThat(SenseCategory.of(Integer.decode(key), Integer.decode(asc), Integer.decode(ascq))).isEqualTo(expected);
    }

    @Test
    void retryHints() {
        assertThat(SenseCategory.NOT_READY_BECOMING_READY.retry().kind()).isEqualTo(RetryPolicy.Kind.AFTER_DELAY);
        assertThat(SenseCategory.NOT_READY_BECOMING_READY.retry().suggestedDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(SenseCategory.ABORTED_COMMAND.retry().kind()).isEqualTo(RetryPolicy.Kind.AFTER_DELAY);
        assertThat(SenseCategory.ABORTED_COMMAND.retry().suggestedDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(SenseCategory.UNIT_ATTENTION.retry()).isEqualTo(RetryPolicy.IMMEDIATE_ONCE);
        for (SenseCategory c : new SenseCategory[] {SenseCategory.NO_SENSE, SenseCategory.RECOVERED, SenseCategory.NOT_READY_NO_MEDIUM,
            SenseCategory.NOT_READY_OTHER, SenseCategory.MEDIUM_ERROR, SenseCategory.HARDWARE_ERROR, SenseCategory.ILLEGAL_REQUEST,
            SenseCategory.DATA_PROTECT, SenseCategory.BLANK_CHECK, SenseCategory.VOLUME_OVERFLOW, SenseCategory.MISCOMPARE,
            SenseCategory.OTHER}) {
            assertThat(c.retry()).as(c.name()).isEqualTo(RetryPolicy.NONE);
            assertThat(c.retry().retryable()).isFalse();
        }
    }

    @Test
    void onlyNoSenseAndRecoveredAreNotErrors() {
        for (SenseCategory c : SenseCategory.values()) {
            assertThat(c.isError()).as(c.name()).isEqualTo(c != SenseCategory.NO_SENSE && c != SenseCategory.RECOVERED);
            assertThat(c.meaning()).isNotBlank();
        }
    }

    @Test
    void everySenseKeyHasACategory() {
        for (int key = 0; key < 16; key++) {
            assertThat(SenseCategory.of(key, 0, 0)).isNotNull();
        }
    }

    @Test
    void retryPolicyInvariants() {
        assertThat(RetryPolicy.afterDelay(Duration.ofMillis(250)).suggestedDelay()).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> RetryPolicy.afterDelay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.afterDelay(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(RetryPolicy.Kind.NONE, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
