package dev.cairn.tape.scsi;

/**
 * What the device answered to one command.
 *
 * @param status   the SCSI status byte (0x00 GOOD, 0x02 CHECK CONDITION, 0x08 BUSY, 0x18 RESERVATION CONFLICT...)
 * @param dataIn   the data the device returned (empty for none)
 * @param sense    the sense data when status is CHECK CONDITION (raw, fixed or descriptor format), else empty
 * @param residual bytes expected but not transferred (positive), as the transport reports it
 */
public record ScsiResponse(int status, byte[] dataIn, byte[] sense, int residual) {
    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
    public static final int BUSY = 0x08;
    public static final int RESERVATION_CONFLICT = 0x18;
    public static final int TASK_SET_FULL = 0x28;

    public ScsiResponse {
        dataIn = dataIn.clone();
        sense = sense.clone();
    }

    @Override
    public byte[] dataIn() {
        return dataIn.clone();
    }

    @Override
    public byte[] sense() {
        return sense.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScsiResponse r && status == r.status && residual == r.residual
                && java.util.Arrays.equals(dataIn, r.dataIn) && java.util.Arrays.equals(sense, r.sense);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(status, residual, java.util.Arrays.hashCode(dataIn), java.util.Arrays.hashCode(sense));
    }

    public boolean good() {
        return status == GOOD;
    }
}
