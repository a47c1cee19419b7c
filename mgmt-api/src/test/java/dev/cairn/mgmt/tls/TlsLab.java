package dev.cairn.mgmt.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.Security;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Real sockets on 127.0.0.1 for the TLS tests (docs/tls.md, section 8). Loading this class empties
 * {@code jdk.tls.disabledAlgorithms} in the test JVM (JSSE reads it once, so every TLS test touches this class
 * before anything else does TLS): a refusal is then the policy's doing, and each refusal test repeats the same
 * client against {@link #permissive} to prove the client would otherwise succeed.
 */
final class TlsLab {
    static {
        Security.setProperty("jdk.tls.disabledAlgorithms", "");
    }

    /** The byte a server writes after its side of the handshake succeeded. */
    static final int HELLO = 42;
    private static final int TIMEOUT_MS = 10_000;

    private TlsLab() {
    }

    /** Forces the class initialiser (and so the JVM setting) to run. */
    static void init() {
    }

    /** What each side saw: a session, or the exception that ended the handshake. */
    record Outcome(SSLSession client, Exception clientError, SSLSession server, Exception serverError) {
        boolean succeeded() {
            return client != null && server != null;
        }
    }

    /** Parameters that allow every protocol and suite the JDK supports: the control server or client. */
    static SSLParameters permissive(SSLContext context) {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"});
        p.setCipherSuites(context.getSupportedSSLParameters().getCipherSuites());
        return p;
    }

    /** Client parameters offering exactly one protocol and one suite (no host name check). */
    static SSLParameters only(String protocol, String suite) {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[] {protocol});
        p.setCipherSuites(new String[] {suite});
        return p;
    }

    /** A listener on 127.0.0.1, port 0, handling one connection at a time; each outcome is queued. */
    static final class Server implements AutoCloseable {
        private final SSLServerSocket socket;
        private final BlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
        private final Thread acceptor;

        Server(SSLContext context, SSLParameters parameters) {
            try {
                socket = (SSLServerSocket) context.getServerSocketFactory()
                        .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
                socket.setSSLParameters(parameters);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = Thread.ofPlatform().daemon().name("tls-lab-server").start(() -> serve(parameters));
        }

        int port() {
            return socket.getLocalPort();
        }

        /** The next connection's outcome on the server side: an {@code SSLSession} or an {@code Exception}. */
        Object nextOutcome() throws InterruptedException {
            Object o = outcomes.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (o == null) {
                throw new AssertionError("the server saw no connection");
            }
            return o;
        }

        private void serve(SSLParameters parameters) {
            while (!socket.isClosed()) {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    s.setSoTimeout(TIMEOUT_MS);
                    s.setSSLParameters(parameters);
                    try {
                        s.startHandshake();
                        SSLSession session = s.getSession();
                        s.getOutputStream().write(HELLO);
                        s.getOutputStream().flush();
                        outcomes.add(session);
                        drain(s.getInputStream());
                    } catch (IOException e) {
                        outcomes.add(e);
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void drain(InputStream in) {
            try {
                while (in.read() >= 0) {
                    // until the client closes
                }
            } catch (IOException ignored) {
                // the client went away; the outcome is already recorded
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(TIMEOUT_MS);
        }
    }

    /**
     * Connects to {@code server} and handshakes; success means the client read the server's {@link #HELLO} (in TLS
     * 1.3 a client's handshake can complete before the server has judged the client certificate).
     */
    static Outcome handshake(Server server, SSLContext context, SSLParameters parameters)
            throws InterruptedException {
        SSLSession clientSession = null;
        Exception clientError = null;
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            s.setSSLParameters(parameters);
            s.startHandshake();
            int b = s.getInputStream().read();
            if (b == HELLO) {
                clientSession = s.getSession();
            } else {
                clientError = new IOException("server closed the connection (read " + b + ")");
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("handshake timed out", e);
        } catch (IOException e) {
            clientError = e;
        }
        Object serverSide = server.nextOutcome();
        return serverSide instanceof SSLSession ss
                ? new Outcome(clientSession, clientError, ss, null)
                : new Outcome(clientSession, clientError, null, (Exception) serverSide);
    }
}
