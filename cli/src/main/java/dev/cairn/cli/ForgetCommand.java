package dev.cairn.cli;

import dev.cairn.engine.forget.Forget;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.retention.ForgetPlan;
import dev.cairn.engine.retention.KeepPolicy;
import dev.cairn.engine.retention.SnapshotInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn forget ...}: forgets snapshots by a keep policy (AUTO-5; docs/retention.md,
 * docs/cli-retention.md). Shows the plan, and unless {@code --dry-run} deletes the snapshot files it
 * forgets, each after checking its lock again. Data stays until {@code cairn prune}.
 */
@Command(name = "forget", mixinStandardHelpOptions = true,
        description = "Forgets snapshots by a keep policy; locked snapshots are always kept. Data goes with `cairn prune`.")
final class ForgetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Option(names = "--tenant", paramLabel = "T", description = "only this tenant (default: every tenant)")
    String tenant;

    @Option(names = "--keep-last", paramLabel = "N", defaultValue = "0", description = "keep the newest N snapshots (-1: all)")
    int keepLast;

    @Option(names = "--keep-hourly", paramLabel = "N", defaultValue = "0", description = "keep the newest snapshot of each of the newest N hours")
    int keepHourly;

    @Option(names = "--keep-daily", paramLabel = "N", defaultValue = "0", description = "... of each of the newest N days")
    int keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", defaultValue = "0", description = "... of each of the newest N ISO weeks")
    int keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", defaultValue = "0", description = "... of each of the newest N months")
    int keepMonthly;

    @Option(names = "--keep-yearly", paramLabel = "N", defaultValue = "0", description = "... of each of the newest N years")
    int keepYearly;

    @Option(names = "--keep-within", paramLabel = "DURATION", description = "keep every snapshot newer than now - DURATION (30d, 1d12h)")
    String keepWithin;

    @Option(names = "--keep-tag", paramLabel = "TAG", description = "keep every snapshot with this tag (repeatable)")
    List<String> keepTags = new ArrayList<>();

    @Option(names = "--dry-run", description = "show the plan, delete nothing")
    boolean dryRun;

    @Option(names = "--allow-empty-group", description = "execute even when a group (tenant and source) would lose every snapshot")
    boolean allowEmptyGroup;

    @Override
    public Integer call() {
        KeepPolicy policy;
        try {
            policy = KeepPolicy.builder().keepLast(keepLast).keepHourly(keepHourly).keepDaily(keepDaily)
                    .keepWeekly(keepWeekly).keepMonthly(keepMonthly).keepYearly(keepYearly)
                    .keepWithin(keepWithin == null ? java.time.Duration.ZERO : KeepPolicy.parseDuration(keepWithin))
                    .keepTag(keepTags.toArray(String[]::new)).build();
        } catch (IllegalArgumentException e) { // a count below -1, an unreadable duration, a blank tag: bad usage (exit 2)
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (policy.isEmpty()) {
            throw new CliException("refusing an empty keep policy: it would forget every unlocked snapshot;"
                    + " give at least one of --keep-last, --keep-hourly, --keep-daily, --keep-weekly, --keep-monthly,"
                    + " --keep-yearly, --keep-within, --keep-tag");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RepoOptions.Opened o = options.open(Repository.LockMode.SHARED)) {
            Forget forget = new Forget(o.repo());
            Forget.Plan plan = forget.plan(tenant, policy);
            plan.warnings().forEach(w -> err.println("cairn: warning: " + w));
            boolean refuse = !dryRun && plan.forgetsAGroupEntirely() && !allowEmptyGroup;
            Forget.Result result = dryRun || refuse ? null : forget.execute(plan);

            if (options.json) {
                out.println(Json.write(json(plan, result, dryRun)));
            } else {
                out.println((dryRun ? "dry run, nothing is deleted: " : "") + policy.describe() + ", now " + plan.plan().now());
                out.print(plan.plan().toText());
                out.flush();
                if (result != null) {
                    out.println("forgot " + result.forgotten().size() + " of " + plan.plan().forget().size() + " planned snapshots"
                            + (result.forgotten().isEmpty() ? "" : "; their data stays until `cairn prune`"));
                    result.skipped().forEach(k -> out.println("kept    " + k.snapshot() + "  " + k.tenant() + "  " + k.reason()));
                    result.failed().forEach(k -> out.println("FAILED  " + k.snapshot() + "  " + k.tenant() + "  " + k.reason()));
                    out.println(result.released().describe());
                }
            }
            if (refuse) {
                throw new CliException("nothing was forgotten: a group would lose every snapshot it has (see the warning);"
                        + " check the policy, or pass --allow-empty-group if that is intended");
            }
            return result != null && !result.failed().isEmpty() ? 1 : 0;
        }
    }

    /** {@code result} is null when nothing was executed (a dry run, or refused). */
    static Map<String, Object> json(Forget.Plan plan, Forget.Result result, boolean dryRun) {
        ForgetPlan p = plan.plan();
        List<Object> groups = new ArrayList<>();
        for (ForgetPlan.Group g : p.groups()) {
            groups.add(Json.object("tenant", g.tenant(), "source", g.source(), "forgetsEverything", g.forgetsEverything(),
                    "keep", g.keep().stream().map(k -> snapshot(k.snapshot(), k.reasons())).toList(),
                    "forget", g.forget().stream().map(s -> snapshot(s, null)).toList()));
        }
        return Json.object("dryRun", dryRun, "executed", result != null, "now", p.now().toString(), "policy", p.policy().describe(),
                "tenants", plan.tenants(), "groups", groups, "warnings", plan.warnings(),
                "result", result == null ? null : Json.object(
                        "forgotten", result.forgotten(),
                        "skipped", result.skipped().stream().map(k -> Json.object("tenant", k.tenant(), "snapshot", k.snapshot(),
                                "reason", k.reason())).toList(),
                        "failed", result.failed().stream().map(k -> Json.object("tenant", k.tenant(), "snapshot", k.snapshot(),
                                "reason", k.reason())).toList(),
                        "released", LockCommand.released(result.released())));
    }

    private static Map<String, Object> snapshot(SnapshotInfo s, List<String> reasons) {
        Map<String, Object> m = Json.object("id", s.id(), "time", s.time().toString(), "tags", s.tags().stream().sorted().toList());
        if (reasons != null) {
            m.put("reasons", reasons);
        }
        return m;
    }
}
