package dev.cairn.tape.scsi;

import java.time.Duration;
import java.util.List;

/**
 * What a CHECK CONDITION means for Cairn, derived from sense key and ASC/ASCQ by one table
 * ({@link #of}), each with a retry hint. The categories follow the sense keys of SPC-4, with NOT READY
 * split by cause because "wait", "load a cartridge" and "ask the operator" are different actions.
 */
public enum SenseCategory {
    NO_SENSE(RetryPolicy.NONE, false,
            "no error by itself; FILEMARK, EOM (end of medium / early warning) or ILI (block length differs) say what happened"),
    RECOVERED(RetryPolicy.NONE, false, "the command succeeded after the device recovered from an error"),
    NOT_READY_BECOMING_READY(RetryPolicy.afterDelay(Duration.ofSeconds(5)), true,
            "the device is becoming ready (loading, threading, an immediate command still running); wait and retry"),
    NOT_READY_NO_MEDIUM(RetryPolicy.NONE, true, "no medium is loaded"),
    NOT_READY_OTHER(RetryPolicy.NONE, true,
            "the device is not ready and will not become ready by itself (needs initialization, intervention or is offline)"),
    MEDIUM_ERROR(RetryPolicy.NONE, true, "unrecovered error on the medium; the tape position is no longer known"),
    HARDWARE_ERROR(RetryPolicy.NONE, true, "the device failed"),
    ILLEGAL_REQUEST(RetryPolicy.NONE, true, "the device rejected the command or its parameters"),
    UNIT_ATTENTION(RetryPolicy.IMMEDIATE_ONCE, true,
            "something changed (reset, medium changed, mode parameters changed); re-check the state, then retry once"),
    DATA_PROTECT(RetryPolicy.NONE, true, "the medium is write protected or the operation is not allowed on it"),
    BLANK_CHECK(RetryPolicy.NONE, true, "end of data: there is nothing recorded here"),
    ABORTED_COMMAND(RetryPolicy.afterDelay(Duration.ofSeconds(1)), true, "the device aborted the command; retry after a pause"),
    VOLUME_OVERFLOW(RetryPolicy.NONE, true, "the end of the partition was reached with data left in the buffer"),
    MISCOMPARE(RetryPolicy.NONE, true, "source data did not match the data read from the medium"),
    OTHER(RetryPolicy.NONE, true, "a sense key Cairn does not act on (vendor specific, copy aborted, reserved)");

    private final RetryPolicy retry;
    private final boolean error;
    private final String meaning;

    SenseCategory(RetryPolicy retry, boolean error, String meaning) {
        this.retry = retry;
        this.error = error;
        this.meaning = meaning;
    }

    public RetryPolicy retry() {
        return retry;
    }

    /** False for NO_SENSE and RECOVERED: the command did its work (look at the flags). */
    public boolean isError() {
        return error;
    }

    public String meaning() {
        return meaning;
    }

    private static final int ANY = -1;

    private record Rule(int key, int asc, int ascq, SenseCategory category) {
        boolean matches(int k, int a, int q) {
            return key == k && (asc == ANY || asc == a) && (ascq == ANY || ascq == q);
        }
    }

    /*
     * The mapping, first match wins. Sense keys are SPC-4's (table "Sense key descriptions");
     * only NOT READY looks at ASC/ASCQ:
     *   04/01 LOGICAL UNIT IS IN PROCESS OF BECOMING READY and
     *   04/07 LOGICAL UNIT NOT READY, OPERATION IN PROGRESS (an IMMED rewind or load still running)
     *         clear by themselves: wait.
     *   3A/xx MEDIUM NOT PRESENT (any qualifier): nothing to wait for, a cartridge must be loaded.
     *   anything else (04/00 cause not reportable, 04/02 initializing command required, 04/03 manual
     *   intervention required, 04/12 offline...) needs an action first.
     * 09h VENDOR SPECIFIC, 0Ah COPY ABORTED, 0Ch (obsolete EQUAL) and 0Fh (reserved; COMPLETED in SPC-5)
     * are OTHER. Deferred errors (response codes 71h/73h) map like current ones; Sense.current() tells them apart.
     */
    private static final List<Rule> TABLE = List.of(
            //        key   ASC   ASCQ  category
            new Rule(0x0, ANY, ANY, NO_SENSE),
            new Rule(0x1, ANY, ANY, RECOVERED),
            new Rule(0x2, 0x04, 0x01, NOT_READY_BECOMING_READY),
            new Rule(0x2, 0x04, 0x07, NOT_READY_BECOMING_READY),
            new Rule(0x2, 0x3A, ANY, NOT_READY_NO_MEDIUM),
            new Rule(0x2, ANY, ANY, NOT_READY_OTHER),
            new Rule(0x3, ANY, ANY, MEDIUM_ERROR),
            new Rule(0x4, ANY, ANY, HARDWARE_ERROR),
            new Rule(0x5, ANY, ANY, ILLEGAL_REQUEST),
            new Rule(0x6, ANY, ANY, UNIT_ATTENTION),
            new Rule(0x7, ANY, ANY, DATA_PROTECT),
            new Rule(0x8, ANY, ANY, BLANK_CHECK),
            new Rule(0xB, ANY, ANY, ABORTED_COMMAND),
            new Rule(0xD, ANY, ANY, VOLUME_OVERFLOW),
            new Rule(0xE, ANY, ANY, MISCOMPARE));

    /** The category of a sense key (0..15) with its ASC and ASCQ; anything unmapped is {@link #OTHER}. */
    public static SenseCategory of(int key, int asc, int ascq) {
        for (Rule r : TABLE) {
            if (r.matches(key, asc, ascq)) {
                return r.category;
            }
        }
        return OTHER;
    }
}
