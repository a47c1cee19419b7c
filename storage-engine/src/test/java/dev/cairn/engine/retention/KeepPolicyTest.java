package dev.cairn.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeepPolicyTest {

    @Test
    void builderDefaultsAreAnEmptyPolicyInUtc() {
        KeepPolicy p = KeepPolicy.builder().build();

        assertThat(p).isEqualTo(new KeepPolicy(0, 0, 0, 0, 0, 0, Duration.ZERO, Set.of()));
        assertThat(p.zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(p.isEmpty()).isTrue();
        assertThat(p.describe()).isEqualTo("keep nothing (empty policy) (zone Z)");
    }

    @Test
    void anySingleRuleMakesThePolicyNonEmpty() {
        assertThat(KeepPolicy.builder().keepLast(1).build().isEmpty()).isFalse();
        assertThat(KeepPolicy.builder().keepHourly(1).build().isEmpty()).isFalse();
        assertThat(KeepPolicy.builder().keepDaily(1).build().isEmpty()).isFalse();
        assertThat(KeepPolicy.builder().keepWeekly(1).build().isEmpty()).isFalse();
        assertThat(KeepPolicy.builder().keepMonthly(1).build().isEmpty()).isFalse();
        assertThat(KeepPolicy.builder().keepYearly(-1).build().isEmpty()).isFalse();
        assertThat(KeepPolicy.builder().keepWithin(Duration.ofSeconds(1)).build().isEmpty()).isFalse();
        assertThat(KeepPolicy.builder().keepTag("legal").build().isEmpty()).isFalse();
        assertThat(KeepPolicy.builder().zone(ZoneId.of("Europe/Berlin")).build().isEmpty()).isTrue();
    }

    @Test
    void describeListsRulesInAFixedOrder() {
        KeepPolicy p = KeepPolicy.builder().keepTag("legal", "audit").keepWithin(Duration.ofDays(30))
                .keepMonthly(-1).keepDaily(7).keepLast(3).zone(ZoneId.of("Europe/Berlin")).build();

        assertThat(p.describe()).isEqualTo(
                "keep last 3, daily 7, monthly all, within 30d, tag audit, tag legal (zone Europe/Berlin)");
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> KeepPolicy.builder().keepDaily(-2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keepDaily must be >= 0, or -1 for unlimited, was -2");
        assertThatThrownBy(() -> KeepPolicy.builder().keepWithin(Duration.ofDays(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keepWithin must not be negative, was PT-24H");
        assertThatThrownBy(() -> KeepPolicy.builder().keepTag(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keepTags must not contain a blank tag or control characters");
        assertThatThrownBy(() -> KeepPolicy.builder().zone(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> KeepPolicy.builder().keepWithin(null).build()).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "30d,     PT720H,    30d",
            "1d12h,   PT36H,     1d12h",
            "36h,     PT36H,     1d12h",
            "90m,     PT1H30M,   1h30m",
            "45s,     PT45S,     45s",
            "1d2h3m4s, PT26H3M4S, 1d2h3m4s",
            "0d,      PT0S,      0s",
            "365d,    PT8760H,   365d"
    })
    void durationsParseAndFormat(String text, String iso, String canonical) {
        Duration d = KeepPolicy.parseDuration(text);

        assertThat(d).isEqualTo(Duration.parse(iso));
        assertThat(KeepPolicy.formatDuration(d)).isEqualTo(canonical);
        assertThat(KeepPolicy.parseDuration(canonical)).isEqualTo(d);
    }

    @ParameterizedTest
    @CsvSource({"''", "1y", "2m3d", "1w", "d", "-1d", "1.5d", "30 d", "99999999999999999999d"})
    void badDurationsAreRefusedWithTheSyntax(String text) {
        assertThatThrownBy(() -> KeepPolicy.parseDuration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.equals("99999999999999999999d") ? "too large" : "write days, hours, minutes, seconds");
    }

    @Test
    void subSecondDurationsFormatAsIso() {
        assertThat(KeepPolicy.formatDuration(Duration.ofMillis(1500))).isEqualTo("PT1.5S");
    }
}
