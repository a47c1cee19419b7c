package dev.cairn.tape.transport.iscsi;

import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.Direction;
import dev.cairn.tape.scsi.ScsiResponse;
import dev.cairn.tape.transport.ScsiTransport;
import dev.cairn.tape.transport.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pure-Java iSCSI initiator (RFC 7143) as a {@link ScsiTransport}: one session with one connection
 * to one target, one command at a time. It logs in on first use and again after any failure: a dropped
 * connection fails the command in flight with a {@link TransportException} (its outcome on the device is
 * unknown) and the next call reconnects. Every command has a deadline enforced by a watchdog that
 * closes the socket, so a silent or stuck target ends in a timeout, never a hang. When idle for the
 * keepalive interval, a NOP-Out ping checks the connection.
 *
 * <p>Thread safe: commands are serialised.
 */
public final class IscsiTransport implements ScsiTransport {
    private final IscsiUrl url;
    private final IscsiOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledExecutorService timers;
    private final ScheduledFuture<?> keepalive;
    private IscsiSession session;
    private long lastUse = System.nanoTime();
    private int logins;
    private final java.util.concurrent.atomic.AtomicInteger keepalivePings = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    public IscsiTransport(IscsiUrl url, IscsiOptions options) {
        this.url = url;
        this.options = options;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "iscsi-timer " + url.host() + ":" + url.port());
            t.setDaemon(true);
            return t;
        });
        long every = options.keepaliveInterval().toMillis();
        this.keepalive = every > 0 ? timers.scheduleWithFixedDelay(this::keepaliveTick, every, every, TimeUnit.MILLISECONDS) : null;
    }

    public static IscsiTransport connect(String url) {
        return new IscsiTransport(IscsiUrl.parse(url), IscsiOptions.defaults());
    }

    public IscsiUrl url() {
        return url;
    }

    @Override
    public String describe() {
        return url.toString();
    }

    /** How many times this transport has logged in (1 after the first command; more after reconnects). */
    public int logins() {
        lock.lock();
        try {
            return logins;
        } finally {
            lock.unlock();
        }
    }

    /** How many keepalive NOP-Out pings answered so far. */
    public int keepalivePings() {
        return keepalivePings.get();
    }

    /** The operational values the current session negotiated, or null when not connected. */
    public String negotiated() {
        lock.lock();
        try {
            return session == null ? null : session.negotiated().toString();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ScsiResponse execute(int lun, Cdb cdb, byte[] dataOut, Duration timeout) {
        if (cdb.direction() == Direction.OUT && dataOut == null) {
            throw new IllegalArgumentException(cdb.name() + " sends data: dataOut is required");
        }
        if (cdb.direction() != Direction.OUT && dataOut != null) {
            throw new IllegalArgumentException(cdb.name() + " sends no data");
        }
        return withSession(cdb.name(), timeout, s -> s.command(lun, cdb, dataOut));
    }

    /** NOP-Out ping round trip. */
    public void ping(Duration timeout) {
        withSession("NOP-Out ping", timeout, s -> {
            s.ping();
            return null;
        });
    }

    /** LOGICAL UNIT RESET task management function; returns the target's response code (0 = function complete). */
    public int resetLun(int lun, Duration timeout) {
        return withSession("LOGICAL UNIT RESET", timeout, s -> s.taskManagement(IscsiSession.LOGICAL_UNIT_RESET, lun, 0));
    }

    /** ABORT TASK for task tag {@code tag}; returns the response code (0 complete, 1 the task does not exist). */
    public int abortTask(int lun, int tag, Duration timeout) {
        return withSession("ABORT TASK", timeout, s -> s.taskManagement(IscsiSession.ABORT_TASK, lun, tag));
    }

    /** Logs out cleanly (the next command logs in again). */
    public void logout(Duration timeout) {
        lock.lock();
        try {
            if (session != null) {
                IscsiSession s = session;
                session = null;
                runWithDeadline(s, "Logout", timeout, x -> {
                    x.logout();
                    return null;
                });
                s.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface SessionCall<T> {
        T run(IscsiSession s) throws IOException;
    }

    private <T> T withSession(String what, Duration timeout, SessionCall<T> call) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("transport to " + url + " is closed");
            }
            lastUse = System.nanoTime();
            if (session == null) {
                try {
                    session = IscsiSession.login(url, options);
                    logins++;
                } catch (IOException e) {
                    throw new TransportException("cannot log in to " + url + " for " + what + ": " + e.getMessage()
                            + ". Check that the library is on and reachable.", e);
                } catch (IscsiProtocolException e) {
                    throw new TransportException("cannot log in for " + what + ": " + e.getMessage(), e);
                }
            }
            IscsiSession s = session;
            try {
                return runWithDeadline(s, what, timeout, call);
            } catch (TransportException e) {
                session = null;
                s.close();
                throw e;
            }
        } finally {
            lastUse = System.nanoTime();
            lock.unlock();
        }
    }

    private <T> T runWithDeadline(IscsiSession s, String what, Duration timeout, SessionCall<T> call) {
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = timers.schedule(() -> {
            fired.set(true);
            s.close(); // unblocks any read or write on the socket
        }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        try {
            return call.run(s);
        } catch (IOException | IscsiProtocolException e) {
            if (fired.get()) {
                throw new TransportException(what + " on " + url + " did not complete within " + timeout.toSeconds()
                        + " s; the connection was dropped and the command's outcome on the device is unknown", e, true);
            }
            throw new TransportException(what + " on " + url + " failed: " + e.getMessage()
                    + "; the connection was dropped and the command's outcome on the device is unknown."
                    + " The next command reconnects.", e);
        } finally {
            watchdog.cancel(false);
        }
    }

    private void keepaliveTick() {
        if (!lock.tryLock()) {
            return; // a command is running: the connection is in use
        }
        try {
            if (session == null || closed
                    || System.nanoTime() - lastUse < options.keepaliveInterval().toNanos()) {
                return;
            }
            IscsiSession s = session;
            try {
                runWithDeadline(s, "NOP-Out ping", Duration.ofSeconds(10), x -> {
                    x.ping();
                    return null;
                });
                keepalivePings.incrementAndGet();
            } catch (TransportException e) {
                session = null; // the next command reconnects
                s.close();
            }
            lastUse = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (keepalive != null) {
                keepalive.cancel(false);
            }
            if (session != null) {
                try {
                    runWithDeadline(session, "Logout", Duration.ofSeconds(5), x -> {
                        x.logout();
                        return null;
                    });
                } catch (TransportException ignored) {
                    // closing anyway
                }
                session.close();
                session = null;
            }
        } finally {
            lock.unlock();
            timers.shutdownNow();
        }
    }
}
