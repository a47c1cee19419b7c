package dev.cairn.mgmt.server;

import dev.cairn.hsm.KeyPurpose;
import dev.cairn.hsm.KeyVault;
import dev.cairn.hsm.TokenSigner;
import dev.cairn.mgmt.access.ApprovalSigner;
import dev.cairn.mgmt.access.Approvals;
import dev.cairn.mgmt.access.BreakGlass;
import dev.cairn.mgmt.access.Elevations;
import dev.cairn.mgmt.access.FileAlertSink;
import dev.cairn.mgmt.audit.AuditLog;
import dev.cairn.mgmt.audit.ClockSyncProbe;
import dev.cairn.mgmt.audit.KeyEventAuditor;
import dev.cairn.mgmt.auth.LockoutPolicy;
import dev.cairn.mgmt.auth.PasswordHasher;
import dev.cairn.mgmt.ca.ApplianceCa;
import dev.cairn.mgmt.files.PrivateFiles;
import dev.cairn.mgmt.identity.ApiTokens;
import dev.cairn.mgmt.identity.Enrollment;
import dev.cairn.mgmt.identity.Mfa;
import dev.cairn.mgmt.identity.PasswordLogin;
import dev.cairn.mgmt.identity.Sealer;
import dev.cairn.mgmt.identity.Sessions;
import dev.cairn.mgmt.identity.UserStore;
import dev.cairn.mgmt.webauthn.WebAuthn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every service of the control plane, opened over one state directory and one key vault. {@link ApiServer}
 * serves it; tests open one over a SoftHSM token and a temp directory. The layout of the state directory is
 * in docs/security.md, section 9.
 */
public final class Appliance implements AutoCloseable {
    /** The tenant whose data key seals the user store (created on first start). */
    public static final String APPLIANCE_TENANT = "appliance";
    /** Session attribute: an elevation the session activated (its roles apply to this session only). */
    static final String ELEVATION_ATTRIBUTE = "elevation";
    /** The break-glass account's name (it is not a user of the user store). */
    public static final String BREAK_GLASS_ACCOUNT = "breakglass";

    private final ApplianceConfig config;
    private final KeyVault vault;
    private final Clock clock;
    private final SecureRandom random;
    private final AuditLog audit;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordLogin login;
    private final Mfa mfa;
    private final Sessions sessions;
    private final ApiTokens tokens;
    private final Enrollment enrollment;
    private final WebAuthn webAuthn;
    private final Ceremonies ceremonies;
    private final Approvals approvals;
    private final Elevations elevations;
    private final BreakGlass breakGlass;
    private final ApplianceCa ca;
    private final Tasks tasks;
    private final TokenSigner approvalKey;
    private final ScheduledExecutorService ticker;
    /** How often the idle audit trail is checked for a due time-based checkpoint. */
    static final Duration TICK = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(Appliance.class.getName());

    private Appliance(ApplianceConfig config, KeyVault vault, Clock clock, SecureRandom random, ClockSyncProbe probe,
                      PasswordHasher hasher) {
        this.config = config;
        this.vault = vault;
        this.clock = clock;
        this.random = random;
        this.hasher = hasher;
        Path state = config.stateDir();
        privateDir(state);
        this.audit = AuditLog.open(privateDir(state.resolve("audit")), vault.auditSigner(), clock, probe,
                AuditLog.Options.defaults());
        vault.addListener(new KeyEventAuditor(audit, Appliance::keyEventActor));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-audit-checkpoint");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::auditTick, TICK.toSeconds(), TICK.toSeconds(), TimeUnit.SECONDS);
        if (!vault.tenants().contains(APPLIANCE_TENANT)) {
            vault.createKek(APPLIANCE_TENANT, KeyVault.DEFAULT_ROTATION_PERIOD);
        }
        Sealer sealer = Sealer.aesGcm(vault.dataKey(APPLIANCE_TENANT, KeyPurpose.DATA, 1).secretKey(), random);
        this.users = UserStore.open(privateDir(state.resolve("users")), sealer, clock, random);
        // backoff without a permanent lock: a lock would let anyone on the network lock out every administrator
        LockoutPolicy lockout = new LockoutPolicy(LockoutPolicy.Limits.ONLINE, clock);
        this.login = new PasswordLogin(users, hasher, lockout, clock);
        this.mfa = new Mfa(users, hasher, clock, random, lockout);
        this.sessions = new Sessions(clock, random, Duration.ofMinutes(15), Duration.ofHours(8));
        this.tokens = ApiTokens.open(privateDir(state.resolve("tokens")), clock, random);
        this.enrollment = Enrollment.open(privateDir(state.resolve("enrollment")), clock, random);
        this.webAuthn = new WebAuthn(config.rpId(), "Cairn", config.origins(), random, clock);
        this.ceremonies = new Ceremonies(clock);
        this.approvalKey = vault.approvalSigner();
        ApprovalSigner signer = ApprovalSigner.of(approvalKey.privateKey(), approvalKey.provider(), approvalKey.publicKey());
        Approvals.Policy defaults = Approvals.Policy.defaults();
        this.approvals = Approvals.open(privateDir(state.resolve("approvals")), new Approvals.Policy(config.approvers(),
                defaults.requestExpiry(), config.stepUpWindow(), defaults.recordValidity()), signer, clock, random);
        this.elevations = Elevations.open(privateDir(state.resolve("elevations")), Duration.ofMinutes(60),
                Duration.ofMinutes(30), clock, random);
        Path alerts = privateDir(state.resolve("alerts"));
        this.breakGlass = BreakGlass.open(privateDir(state.resolve("break-glass")), hasher, new FileAlertSink(alerts, clock),
                clock, random);
        this.ca = ApplianceCa.open(privateDir(state.resolve("ca")), vault.caSigner(), clock);
        privateDir(state.resolve("settings")); // Settings writes there (docs/formats/settings.md)
        this.tasks = new Tasks(clock);
    }

    /**
     * Opens (and on first start creates) the control plane's state.
     *
     * @param probe where the audit trail reads the clock-sync state (SystemClockSyncProbe in production)
     */
    public static Appliance open(ApplianceConfig config, KeyVault vault, Clock clock, SecureRandom random,
                                 ClockSyncProbe probe) {
        return new Appliance(config, vault, clock, random, probe, PasswordHasher.withDefaults());
    }

    /** As {@link #open}, with a given password hasher (tests use cheaper Argon2 parameters). */
    public static Appliance open(ApplianceConfig config, KeyVault vault, Clock clock, SecureRandom random,
                                 ClockSyncProbe probe, PasswordHasher hasher) {
        return new Appliance(config, vault, clock, random, probe, hasher);
    }

    /** Refuses user names that belong to the appliance itself (the break-glass account, system actors). */
    static void checkNotReserved(String username) {
        if (username.equals(BREAK_GLASS_ACCOUNT) || username.startsWith("system") || username.equals("anonymous")
                || username.equals("appliance")) {
            throw ApiException.badRequest("that user name is reserved by the appliance; choose another");
        }
    }

    /**
     * Who a key-plane event is attributed to in the audit trail: the API caller whose request caused it, or
     * {@code system:appliance} for the service's own work (first start, tasks).
     */
    static KeyEventAuditor.Actor keyEventActor() {
        if (Gate.CURRENT.isBound()) {
            Caller c = Gate.CURRENT.get();
            return new KeyEventAuditor.Actor(AuditText.actor(c.name()), c.authMethod(), c.sourceIp(), c.userAgent());
        }
        return new KeyEventAuditor.Actor("system:appliance", "none", "", "");
    }

    /**
     * Writes a time-based checkpoint when one is due (docs/formats/audit-log.md, section 5): without this an idle
     * trail would wait for the next entry. Runs every {@link #TICK}; a failure is logged (the trail then fails
     * closed for audited routes).
     */
    void auditTick() {
        try {
            if (audit.writable()) {
                audit.checkpointIfDue();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the audit trail could not write a checkpoint: " + e.getClass().getSimpleName());
        }
    }

    static Path privateDir(Path dir) {
        try {
            PrivateFiles.prepareDirectory(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + dir + "; check permissions", e);
        }
    }

    public ApplianceConfig config() { return config; }
    public KeyVault vault() { return vault; }
    public Clock clock() { return clock; }
    public SecureRandom random() { return random; }
    public AuditLog audit() { return audit; }
    public UserStore users() { return users; }
    public PasswordHasher hasher() { return hasher; }
    public PasswordLogin login() { return login; }
    public Mfa mfa() { return mfa; }
    public Sessions sessions() { return sessions; }
    public ApiTokens tokens() { return tokens; }
    public Enrollment enrollment() { return enrollment; }
    public WebAuthn webAuthn() { return webAuthn; }
    Ceremonies ceremonies() { return ceremonies; }
    public Approvals approvals() { return approvals; }
    public Elevations elevations() { return elevations; }
    public BreakGlass breakGlass() { return breakGlass; }
    public ApplianceCa ca() { return ca; }
    public Tasks tasks() { return tasks; }
    /** The public key that checks signed approval records (docs/formats/approval-record.md). */
    public java.security.PublicKey approvalPublicKey() { return approvalKey.publicKey(); }

    @Override
    public void close() {
        ticker.shutdownNow();
        tasks.close();
        audit.close();
    }
}
