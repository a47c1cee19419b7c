package dev.cairn.tape.transport.iscsi;

import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.Direction;
import dev.cairn.tape.scsi.ScsiResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One iSCSI session with one connection, at error recovery level 0 (RFC 7143): login (with or without
 * CHAP), operational negotiation, then SCSI commands one at a time. Any protocol or I/O error leaves the
 * session unusable; the owner ({@link IscsiTransport}) drops it and logs in again for the next command.
 *
 * <p>Not thread safe: the transport serialises every call.
 */
final class IscsiSession implements AutoCloseable {
    // Login stages (RFC 7143 section 11.12.3)
    private static final int SECURITY = 0;
    private static final int OPERATIONAL = 1;
    private static final int FULL_FEATURE = 3;
    private static final int LOGIN_STEPS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final PduChannel channel;
    private final IscsiUrl url;
    private final IscsiOptions options;
    private final byte[] isid = new byte[6];
    private int tsih;
    private int cmdSn = 1;
    private int expStatSn;
    private int nextItt = 1;
    private Negotiated negotiated;

    /** The operational values in force after login. */
    record Negotiated(boolean headerDigest, boolean dataDigest, int targetMaxRecvDataSegmentLength,
                      int maxBurstLength, int firstBurstLength, boolean immediateData, boolean initialR2T) {
    }

    private IscsiSession(Socket socket, IscsiUrl url, IscsiOptions options) throws IOException {
        this.socket = socket;
        this.channel = new PduChannel(socket.getInputStream(), socket.getOutputStream());
        this.url = url;
        this.options = options;
        RANDOM.nextBytes(isid);
        isid[0] = (byte) 0x80; // ISID type 10b: random (RFC 7143 section 11.12.5)
    }

    /** Connects and logs in; the socket is closed again when login fails. */
    static IscsiSession login(IscsiUrl url, IscsiOptions options) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.setSendBufferSize(1 << 20);
            s.setReceiveBufferSize(1 << 20);
            int timeout = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
            s.connect(new InetSocketAddress(url.host(), url.port()), timeout);
            s.setSoTimeout(timeout); // login only; commands use the transport's watchdog
            IscsiSession session = new IscsiSession(s, url, options);
            session.doLogin();
            s.setSoTimeout(0);
            return session;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    Socket socket() {
        return socket;
    }

    Negotiated negotiated() {
        return negotiated;
    }

    // ------------------------------------------------------------------ login

    private void doLogin() throws IOException {
        Map<String, String> first = new LinkedHashMap<>();
        first.put("InitiatorName", options.initiatorName());
        first.put("TargetName", url.targetName());
        first.put("SessionType", "Normal");
        first.put("AuthMethod", options.chapUser() != null ? "CHAP" : "None");
        if (options.chapUser() != null) {
            securityWithChap(first);
        } else {
            Map<String, String> r = loginStep(SECURITY, OPERATIONAL, true, first);
            String method = r.get("AuthMethod");
            if (method != null && !method.equals("None")) {
                throw new IscsiProtocolException("target " + url + " requires authentication (" + method
                        + "); configure a CHAP user and secret");
            }
        }
        operational();
    }

    private void securityWithChap(Map<String, String> first) throws IOException {
        Map<String, String> r = loginStep(SECURITY, OPERATIONAL, false, first);
        if (!"CHAP".equals(r.get("AuthMethod"))) {
            throw new IscsiProtocolException("target " + url + " does not accept CHAP (AuthMethod=" + r.get("AuthMethod") + ")");
        }
        r = loginStep(SECURITY, OPERATIONAL, false, Map.of("CHAP_A", Chap.MD5));
        if (!Chap.MD5.equals(r.get("CHAP_A")) || r.get("CHAP_I") == null || r.get("CHAP_C") == null) {
            throw new IscsiProtocolException("target " + url + " did not send a CHAP MD5 challenge");
        }
        int id;
        try {
            id = Integer.parseInt(r.get("CHAP_I"));
        } catch (NumberFormatException e) {
            throw new IscsiProtocolException("target " + url + " sent a CHAP identifier that is not a number");
        }
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("CHAP_N", options.chapUser());
        answer.put("CHAP_R", Chap.response(id & 0xff, options.chapSecret(), r.get("CHAP_C")));
        loginStep(SECURITY, OPERATIONAL, true, answer);
    }

    private void operational() throws IOException {
        Map<String, String> offer = new LinkedHashMap<>();
        offer.put("HeaderDigest", options.headerDigest() ? "CRC32C,None" : "None");
        offer.put("DataDigest", options.dataDigest() ? "CRC32C,None" : "None");
        offer.put("MaxRecvDataSegmentLength", Integer.toString(options.maxRecvDataSegmentLength()));
        offer.put("MaxBurstLength", Integer.toString(options.maxBurstLength()));
        offer.put("FirstBurstLength", Integer.toString(options.firstBurstLength()));
        offer.put("ImmediateData", "Yes");
        offer.put("InitialR2T", "No");
        offer.put("MaxOutstandingR2T", "1");
        offer.put("DataPDUInOrder", "Yes");
        offer.put("DataSequenceInOrder", "Yes");
        offer.put("ErrorRecoveryLevel", "0");
        offer.put("MaxConnections", "1");
        offer.put("DefaultTime2Wait", "0");
        offer.put("DefaultTime2Retain", "0");
        offer.put("IFMarker", "No");
        offer.put("OFMarker", "No");
        Map<String, String> answers = loginStep(OPERATIONAL, FULL_FEATURE, true, offer);
        negotiated = negotiate(answers, options);
        if (options.requireDigests() && ((options.headerDigest() && !negotiated.headerDigest())
                || (options.dataDigest() && !negotiated.dataDigest()))) {
            throw new IscsiProtocolException("target " + url + " refused CRC32C digests, which this connection requires");
        }
        channel.digests(negotiated.headerDigest(), negotiated.dataDigest());
    }

    /** The operational values from the target's answers (RFC 7143 section 13: min for lengths, OR/AND for booleans). */
    static Negotiated negotiate(Map<String, String> t, IscsiOptions o) {
        boolean hd = "CRC32C".equals(t.getOrDefault("HeaderDigest", "None"));
        boolean dd = "CRC32C".equals(t.getOrDefault("DataDigest", "None"));
        int targetMrdsl = number(t, "MaxRecvDataSegmentLength", 8192, 512, 0xffffff);
        int maxBurst = Math.min(o.maxBurstLength(), number(t, "MaxBurstLength", 262_144, 512, 0xffffff));
        int firstBurst = Math.min(Math.min(o.firstBurstLength(), number(t, "FirstBurstLength", 65_536, 512, 0xffffff)), maxBurst);
        boolean immediate = yes(t.getOrDefault("ImmediateData", "Yes")); // AND with our Yes
        boolean initialR2T = yes(t.getOrDefault("InitialR2T", "Yes")); // OR with our No
        return new Negotiated(hd, dd, targetMrdsl, maxBurst, firstBurst, immediate, initialR2T);
    }

    private static int number(Map<String, String> t, String key, int dflt, int min, int max) {
        String v = t.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IscsiProtocolException("the target answered " + key + "=" + v + ", outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IscsiProtocolException("the target answered " + key + "=" + v + ", not a number");
        }
    }

    private static boolean yes(String v) {
        if (!v.equals("Yes") && !v.equals("No")) {
            throw new IscsiProtocolException("expected Yes or No, got " + v);
        }
        return v.equals("Yes");
    }

    /**
     * Sends Login Requests in stage {@code csg} until the target answers, returning its keys. When
     * {@code transit}, asks to move to {@code nsg} and keeps exchanging (with no new keys) until the
     * target agrees, at most {@link #LOGIN_STEPS} times.
     */
    private Map<String, String> loginStep(int csg, int nsg, boolean transit, Map<String, String> keys) throws IOException {
        Map<String, String> collected = new LinkedHashMap<>();
        Map<String, String> send = keys;
        for (int step = 0; step < LOGIN_STEPS; step++) {
            Pdu req = Pdu.of(Pdu.LOGIN_REQUEST, true);
            req.flags((transit ? 0x80 : 0) | (csg << 2) | (transit ? nsg : 0)); // byte 1: T, C, CSG, NSG
            req.byteAt(2, 0).byteAt(3, 0); // version max / min 0
            System.arraycopy(isid, 0, req.bhs, 8, 6); // bytes 8-13 ISID
            req.bhs[14] = (byte) (tsih >>> 8); // bytes 14-15 TSIH
            req.bhs[15] = (byte) tsih;
            req.itt(0);
            req.int32(24, cmdSn).int32(28, expStatSn); // CID 0 (20-21); CmdSN; ExpStatSN
            req.data(Pdu.encodeKeys(send));
            channel.write(req);
            channel.flush();
            Pdu resp = channel.readHeader(options.maxRecvDataSegmentLength());
            if (resp.opcode() == Pdu.REJECT) {
                channel.skipData(resp);
                throw new IscsiProtocolException("target " + url + " rejected the login request (reason 0x"
                        + Integer.toHexString(resp.byteAt(2)) + ")");
            }
            if (resp.opcode() != Pdu.LOGIN_RESPONSE) {
                throw new IscsiProtocolException("expected a Login Response from " + url + ", got " + Pdu.opcodeName(resp.opcode()));
            }
            byte[] data = channel.readData(resp);
            int statusClass = resp.byteAt(36);
            int statusDetail = resp.byteAt(37);
            if (statusClass != 0) {
                throw new IscsiProtocolException(loginFailure(statusClass, statusDetail));
            }
            expStatSn = resp.int32(24) + 1;
            Map<String, String> answered = Pdu.decodeKeys(data);
            collected.putAll(answered);
            boolean targetTransits = (resp.flags() & 0x80) != 0;
            if (!transit || (targetTransits && (resp.flags() & 0x03) == nsg)) {
                if (targetTransits && nsg == FULL_FEATURE) {
                    tsih = ((resp.bhs[14] & 0xff) << 8) | (resp.bhs[15] & 0xff);
                }
                return collected;
            }
            send = Map.of(); // the target wants another round in this stage
        }
        throw new IscsiProtocolException("login with " + url + " did not finish in " + LOGIN_STEPS + " exchanges");
    }

    private String loginFailure(int cls, int detail) {
        String what = switch ((cls << 8) | detail) {
            case 0x0101, 0x0102 -> "the target moved (redirect); Cairn does not follow redirects: use the new address";
            case 0x0201 -> "authentication failed: check the CHAP user and secret";
            case 0x0202 -> "this initiator is not allowed to log in (check the target's ACL for " + options.initiatorName() + ")";
            case 0x0203 -> "target " + url.targetName() + " does not exist on " + url.host() + ":" + url.port();
            case 0x0204 -> "the target was removed";
            case 0x0205 -> "unsupported iSCSI version";
            case 0x0206 -> "too many connections";
            case 0x0207 -> "a login parameter is missing";
            case 0x020a -> "the session type is not supported";
            case 0x0300 -> "the target had an error; try again later";
            case 0x0301 -> "the target service is unavailable; try again later";
            case 0x0302 -> "the target is out of resources; try again later";
            default -> "login refused";
        };
        return "login to " + url + " failed: " + what + String.format(" (status 0x%02x%02x)", cls, detail);
    }

    // ------------------------------------------------------------------ commands

    /** One SCSI command, start to status. */
    ScsiResponse command(int lun, Cdb cdb, byte[] dataOut) throws IOException {
        byte[] cdbBytes = cdb.bytes();
        if (cdbBytes.length > 16) {
            throw new IllegalArgumentException("CDBs over 16 bytes need an AHS, which Cairn does not send");
        }
        int expected = switch (cdb.direction()) {
            case IN -> cdb.dataInLength();
            case OUT -> dataOut.length;
            case NONE -> 0;
        };
        int itt = nextItt();
        Pdu cmd = Pdu.of(Pdu.SCSI_COMMAND, false);
        // byte 1: F, R (read), W (write), ATTR = 1 simple task
        cmd.flags(0x80 | (cdb.direction() == Direction.IN ? 0x40 : 0) | (cdb.direction() == Direction.OUT ? 0x20 : 0) | 0x01);
        cmd.lun(lun).itt(itt);
        cmd.int32(20, expected); // Expected Data Transfer Length
        cmd.int32(24, cmdSn++).int32(28, expStatSn);
        System.arraycopy(cdbBytes, 0, cmd.bhs, 32, cdbBytes.length); // bytes 32-47 CDB
        int sent = 0;
        if (cdb.direction() == Direction.OUT && negotiated.immediateData() && expected > 0) {
            sent = Math.min(expected, Math.min(negotiated.firstBurstLength(), negotiated.targetMaxRecvDataSegmentLength()));
            cmd.data(dataOut, 0, sent);
        }
        channel.write(cmd);
        if (cdb.direction() == Direction.OUT && !negotiated.initialR2T() && sent < Math.min(expected, negotiated.firstBurstLength())) {
            sendDataOut(lun, itt, Pdu.RESERVED_TAG, dataOut, sent, Math.min(expected, negotiated.firstBurstLength()) - sent);
        }
        channel.flush();

        byte[] in = cdb.direction() == Direction.IN ? new byte[expected] : new byte[0];
        int received = 0;
        while (true) {
            Pdu p = channel.readHeader(options.maxRecvDataSegmentLength());
            switch (p.opcode()) {
                case Pdu.DATA_IN -> {
                    requireTag(p, itt);
                    long offset = p.uint32(40);
                    int len = p.dataSegmentLength();
                    if (offset + len > in.length) {
                        throw new IscsiProtocolException("the target sent Data-In past the " + in.length
                                + "-byte allocation of " + cdb.name());
                    }
                    channel.readData(p, in, (int) offset);
                    received = (int) Math.max(received, offset + len);
                    if ((p.flags() & 0x01) != 0) { // S: status in this PDU
                        expStatSn = p.int32(24) + 1;
                        return new ScsiResponse(p.byteAt(3), Arrays.copyOf(in, received), new byte[0], residual(p));
                    }
                }
                case Pdu.R2T -> {
                    requireTag(p, itt);
                    channel.skipData(p);
                    long offset = p.uint32(40);
                    long length = p.uint32(44);
                    if (cdb.direction() != Direction.OUT || offset + length > expected || length > negotiated.maxBurstLength()) {
                        throw new IscsiProtocolException("the target asked for data outside " + cdb.name() + "'s "
                                + expected + " bytes (R2T offset " + offset + ", length " + length + ")");
                    }
                    sendDataOut(lun, itt, p.int32(20), dataOut, (int) offset, (int) length);
                    channel.flush();
                }
                case Pdu.SCSI_RESPONSE -> {
                    requireTag(p, itt);
                    byte[] data = channel.readData(p);
                    expStatSn = p.int32(24) + 1;
                    if (p.byteAt(2) != 0) {
                        throw new IscsiProtocolException("the target failed " + cdb.name() + " (iSCSI response 0x"
                                + Integer.toHexString(p.byteAt(2)) + ": target failure)");
                    }
                    byte[] sense = new byte[0];
                    if (data.length >= 2) {
                        int senseLength = ((data[0] & 0xff) << 8) | (data[1] & 0xff);
                        if (senseLength > data.length - 2) {
                            throw new IscsiProtocolException("the target's sense length exceeds its data segment");
                        }
                        sense = Arrays.copyOfRange(data, 2, 2 + senseLength);
                    }
                    return new ScsiResponse(p.byteAt(3), Arrays.copyOf(in, received), sense, residual(p));
                }
                default -> handleUnsolicited(p, cdb.name());
            }
        }
    }

    /** Data-Out PDUs for {@code length} bytes from {@code offset}, each at most the target's receive limit. */
    private void sendDataOut(int lun, int itt, int ttt, byte[] data, int offset, int length) throws IOException {
        int dataSn = 0;
        int end = offset + length;
        for (int at = offset; at < end; ) {
            int n = Math.min(end - at, negotiated.targetMaxRecvDataSegmentLength());
            Pdu d = Pdu.of(Pdu.DATA_OUT, false);
            d.flags(at + n == end ? 0x80 : 0); // F on the last PDU of the sequence
            d.lun(lun).itt(itt).int32(20, ttt).int32(28, expStatSn);
            d.int32(36, dataSn++).int32(40, at); // DataSN, Buffer Offset
            d.data(data, at, n);
            channel.write(d);
            at += n;
        }
    }

    private static int residual(Pdu p) {
        int flags = p.flags();
        int count = p.int32(44);
        if ((flags & 0x02) != 0) { // U: underflow, count = bytes not transferred
            return count;
        }
        if ((flags & 0x04) != 0) { // O: overflow, count = bytes the device had beyond the allocation
            return -count;
        }
        return 0;
    }

    private static void requireTag(Pdu p, int itt) {
        if (p.itt() != itt) {
            throw new IscsiProtocolException("the target sent a " + Pdu.opcodeName(p.opcode()) + " for task 0x"
                    + Integer.toHexString(p.itt()) + " while task 0x" + Integer.toHexString(itt) + " was the only one open");
        }
    }

    /** NOP-In pings, asynchronous messages and rejects that may arrive between a command and its status. */
    private void handleUnsolicited(Pdu p, String during) throws IOException {
        switch (p.opcode()) {
            case Pdu.NOP_IN -> {
                byte[] ping = channel.readData(p);
                int ttt = p.int32(20);
                if (ttt != Pdu.RESERVED_TAG) { // the target pings us: answer with the same TTT and data
                    Pdu out = Pdu.of(Pdu.NOP_OUT, true).flags(0x80).itt(Pdu.RESERVED_TAG).int32(20, ttt)
                            .int32(24, cmdSn).int32(28, expStatSn);
                    System.arraycopy(p.bhs, 8, out.bhs, 8, 8); // the LUN field, echoed
                    out.data(ping);
                    channel.write(out);
                    channel.flush();
                }
            }
            case Pdu.ASYNC_MESSAGE -> {
                channel.skipData(p);
                int event = p.byteAt(36);
                if (event >= 1 && event <= 4) { // logout requested, connection or session drop
                    throw new IOException("target " + url + " is ending the session (asynchronous event " + event + ")");
                }
            }
            case Pdu.REJECT -> {
                channel.skipData(p);
                throw new IscsiProtocolException("target " + url + " rejected a PDU during " + during + " (reason 0x"
                        + Integer.toHexString(p.byteAt(2)) + ")");
            }
            default -> throw new IscsiProtocolException("unexpected " + Pdu.opcodeName(p.opcode()) + " from " + url
                    + " during " + during);
        }
    }

    /** NOP-Out ping; returns when the target answers with a NOP-In for it. */
    void ping() throws IOException {
        int itt = nextItt();
        Pdu nop = Pdu.of(Pdu.NOP_OUT, true).flags(0x80).itt(itt).int32(20, Pdu.RESERVED_TAG)
                .int32(24, cmdSn).int32(28, expStatSn);
        channel.write(nop);
        channel.flush();
        while (true) {
            Pdu p = channel.readHeader(options.maxRecvDataSegmentLength());
            if (p.opcode() == Pdu.NOP_IN && p.itt() == itt) {
                channel.skipData(p);
                return;
            }
            handleUnsolicited(p, "a NOP-Out ping");
        }
    }

    /**
     * Task management (RFC 7143 section 11.5): {@link #ABORT_TASK} needs {@code referencedTag};
     * {@link #LOGICAL_UNIT_RESET} resets {@code lun}. Returns the response code (0 = function complete).
     */
    int taskManagement(int function, int lun, int referencedTag) throws IOException {
        int itt = nextItt();
        Pdu tmf = Pdu.of(Pdu.TASK_MGMT_REQUEST, true).flags(0x80 | function).lun(lun).itt(itt)
                .int32(20, function == ABORT_TASK ? referencedTag : Pdu.RESERVED_TAG)
                .int32(24, cmdSn).int32(28, expStatSn).int32(32, cmdSn - 1);
        channel.write(tmf);
        channel.flush();
        while (true) {
            Pdu p = channel.readHeader(options.maxRecvDataSegmentLength());
            if (p.opcode() == Pdu.TASK_MGMT_RESPONSE && p.itt() == itt) {
                channel.skipData(p);
                expStatSn = p.int32(24) + 1;
                return p.byteAt(2);
            }
            if (p.opcode() == Pdu.SCSI_RESPONSE || p.opcode() == Pdu.DATA_IN || p.opcode() == Pdu.R2T) {
                channel.skipData(p); // the end of the task being aborted
                continue;
            }
            handleUnsolicited(p, "task management");
        }
    }

    static final int ABORT_TASK = 1;
    static final int LOGICAL_UNIT_RESET = 5;

    /** Logout (close the session); the socket is closed afterwards either way. */
    void logout() throws IOException {
        int itt = nextItt();
        Pdu req = Pdu.of(Pdu.LOGOUT_REQUEST, true).flags(0x80).itt(itt).int32(24, cmdSn).int32(28, expStatSn);
        channel.write(req);
        channel.flush();
        while (true) {
            Pdu p = channel.readHeader(options.maxRecvDataSegmentLength());
            if (p.opcode() == Pdu.LOGOUT_RESPONSE && p.itt() == itt) {
                channel.skipData(p);
                return;
            }
            if (p.opcode() == Pdu.NOP_IN || p.opcode() == Pdu.ASYNC_MESSAGE) {
                channel.skipData(p);
                continue;
            }
            handleUnsolicited(p, "logout");
        }
    }

    private int nextItt() {
        int t = nextItt++;
        if (nextItt == Pdu.RESERVED_TAG) {
            nextItt = 1;
        }
        return t;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
