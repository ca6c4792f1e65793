// Run: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -cp "bench/retrain:target/classes:target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*" EpochCpu 3 [rows=1883] [batches=32]
// (compile first: javac -cp "target/classes:target/quarkus-app/lib/main/*" -d bench/retrain bench/retrain/EpochCpu.java)
// e.g. EpochCpu 3 3170 32,64,128: what one member's epoch costs per minibatch size.
import dev.expertrouter.training.HeadTrainer;
import java.lang.management.ManagementFactory;
import java.util.Random;

/** CPU seconds of one training epoch of one head member (rows x 384, 65 classes, the shipped MLP), per minibatch size. */
public class EpochCpu {
    public static void main(String[] args) {
        int epochs = Integer.parseInt(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1883;
        String batches = args.length > 2 ? args[2] : "32";
        int classes = 65;
        Random r = new Random(1);
        float[][] x = new float[n][384];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) { for (int d = 0; d < 384; d++) x[i][d] = (float) r.nextGaussian(); y[i] = r.nextInt(classes); }
        double[] w = new double[classes]; java.util.Arrays.fill(w, 1);
        for (String b : batches.split(",")) {
            HeadTrainer t = new HeadTrainer(HeadTrainer.Settings.defaults(42).withBatchSize(Integer.parseInt(b)), System.out);
            t.trainFixedEpochs(x, y, classes, w, 1, 1); // warm-up (native init, JIT)
            var mx = ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            t.trainFixedEpochs(x, y, classes, w, epochs, 2);
            System.out.printf("rows=%d batch=%s epochs=%d cpu_s=%.2f wall_s=%.2f cpu_per_epoch_s=%.3f%n", n, b, epochs,
                    (mx.getCurrentThreadCpuTime() - c0) / 1e9, (System.nanoTime() - w0) / 1e9,
                    (mx.getCurrentThreadCpuTime() - c0) / 1e9 / epochs);
        }
    }
}
