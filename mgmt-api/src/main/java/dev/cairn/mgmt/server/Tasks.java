package dev.cairn.mgmt.server;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Long operations (backup, restore, verify) run as tasks: the request returns a task ID at once, and
 * {@code GET /api/v1/tasks/{id}} shows state and progress. At most {@link #WORKERS} run at a time and
 * {@link #KEEP} finished ones are remembered; tasks live in memory (a restart forgets finished tasks; the audit
 * trail keeps who started what).
 */
public final class Tasks implements AutoCloseable {
    public static final int WORKERS = 2;
    public static final int KEEP = 200;
    private static final System.Logger LOG = System.getLogger(Tasks.class.getName());

    /** The work of a task; it reports progress and returns a one-line summary (no PHI). */
    @FunctionalInterface
    public interface Work {
        String run(Progress progress) throws Exception;
    }

    /** Progress reporting, in the task's own unit (bytes, files, blobs). */
    public static final class Progress {
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong total = new AtomicLong(-1);

        public void total(long t) {
            total.set(t);
        }

        public void done(long d) {
            done.set(d);
        }

        public void add(long d) {
            done.addAndGet(d);
        }
    }

    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }

    /** What the API shows of a task. */
    public record View(String id, String kind, String owner, State state, long done, long total, String unit,
                       Instant createdAt, Instant finishedAt, String summary) {
    }

    private static final class Task {
        final String id;
        final String kind;
        final String owner;
        final String unit;
        final Instant createdAt;
        final Progress progress = new Progress();
        volatile State state = State.QUEUED;
        volatile Instant finishedAt;
        volatile String summary = "";

        Task(String id, String kind, String owner, String unit, Instant createdAt) {
            this.id = id;
            this.kind = kind;
            this.owner = owner;
            this.unit = unit;
            this.createdAt = createdAt;
        }

        View view() {
            return new View(id, kind, owner, state, progress.done.get(), progress.total.get(), unit, createdAt,
                    finishedAt, summary);
        }
    }

    private final Clock clock;
    private final ExecutorService pool = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread t = new Thread(r, "cairn-task");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Task> tasks = new LinkedHashMap<>();

    Tasks(Clock clock) {
        this.clock = clock;
    }

    /** Queues {@code work}; returns its view at once. */
    public synchronized View submit(String kind, String owner, String unit, Work work) {
        long running = tasks.values().stream().filter(t -> t.state == State.QUEUED || t.state == State.RUNNING).count();
        if (running >= 20) {
            throw new ApiException(429, "Too many tasks", "20 tasks are queued or running; wait for some to finish");
        }
        Task task = new Task(UUID.randomUUID().toString(), kind, owner, unit, clock.instant());
        tasks.put(task.id, task);
        trim();
        // the key plane's audit events of the work name the person who started it (see Appliance.keyEventActor)
        Caller starter = Gate.CURRENT.isBound() ? Gate.CURRENT.get() : null;
        try {
            pool.execute(() -> {
                if (starter == null) {
                    run(task, work);
                } else {
                    ScopedValue.where(Gate.CURRENT, starter).run(() -> run(task, work));
                }
            });
        } catch (RejectedExecutionException e) {
            task.state = State.FAILED;
            task.summary = "the appliance is shutting down";
        }
        return task.view();
    }

    private void run(Task task, Work work) {
        task.state = State.RUNNING;
        try {
            task.summary = work.run(task.progress);
            task.state = State.SUCCEEDED;
        } catch (Exception e) {
            task.summary = "failed (" + e.getClass().getSimpleName() + "); the appliance log has task " + task.id;
            task.state = State.FAILED;
            LOG.log(System.Logger.Level.ERROR, "task " + task.id + " (" + task.kind + ") failed: " + Gate.frames(e));
        } finally {
            task.finishedAt = clock.instant();
        }
    }

    private void trim() {
        List<Task> finished = new ArrayList<>(tasks.values().stream()
                .filter(t -> t.state == State.SUCCEEDED || t.state == State.FAILED).toList());
        finished.sort(Comparator.comparing(t -> t.createdAt));
        for (int i = 0; i < finished.size() - KEEP; i++) {
            tasks.remove(finished.get(i).id);
        }
    }

    public synchronized Optional<View> find(String id) {
        Task t = tasks.get(id);
        return t == null ? Optional.empty() : Optional.of(t.view());
    }

    /** Newest first. */
    public synchronized List<View> list() {
        List<View> all = new ArrayList<>(tasks.values().stream().map(Task::view).toList());
        all.sort(Comparator.comparing(View::createdAt).reversed());
        return all;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
