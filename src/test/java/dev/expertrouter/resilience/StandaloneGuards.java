package dev.expertrouter.resilience;

import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.apiimpl.BasicCircuitBreakerMaintenanceImpl;
import io.smallrye.faulttolerance.apiimpl.BuilderEagerDependencies;
import io.smallrye.faulttolerance.apiimpl.BuilderLazyDependencies;
import io.smallrye.faulttolerance.apiimpl.GuardImpl;
import io.smallrye.faulttolerance.core.event.loop.EventLoop;
import io.smallrye.faulttolerance.core.metrics.MetricsProvider;
import io.smallrye.faulttolerance.core.timer.ThreadTimer;
import io.smallrye.faulttolerance.core.timer.Timer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * SmallRye guard builders without a CDI container, so the guard layer is tested as plain JUnit.
 * {@code Guard.create()} needs the container; the builder it returns is this one, wired by hand.
 */
final class StandaloneGuards {

    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ft-test");
        t.setDaemon(true);
        return t;
    });
    private static final Timer TIMER = new ThreadTimer(EXECUTOR);
    private static final BasicCircuitBreakerMaintenanceImpl MAINTENANCE = new BasicCircuitBreakerMaintenanceImpl();

    private StandaloneGuards() {
    }

    static Supplier<Guard.Builder> builders() {
        BuilderEagerDependencies eager = () -> MAINTENANCE;
        BuilderLazyDependencies lazy = new BuilderLazyDependencies() {
            @Override
            public boolean ftEnabled() {
                return true;
            }

            @Override
            public ExecutorService asyncExecutor() {
                return EXECUTOR;
            }

            @Override
            public EventLoop eventLoop() {
                return EventLoop.get();
            }

            @Override
            public Timer timer() {
                return TIMER;
            }

            @Override
            public MetricsProvider metricsProvider() {
                return new MetricsProvider() {
                    @Override
                    public boolean isEnabled() {
                        return false;
                    }

                    @Override
                    public io.smallrye.faulttolerance.core.metrics.MetricsRecorder create(
                            io.smallrye.faulttolerance.core.metrics.MeteredOperation operation) {
                        return io.smallrye.faulttolerance.core.metrics.MetricsRecorder.NOOP;
                    }
                };
            }
        };
        return () -> new GuardImpl.BuilderImpl(eager, () -> lazy);
    }
}
