// Run: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -cp "bench/retrain:target/classes:target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*" EpochCpu 3
// (compile first: javac -cp "target/classes:target/quarkus-app/lib/main/*" -d bench/retrain bench/retrain/EpochCpu.java)
import dev.expertrouter.training.HeadTrainer;
import java.lang.management.ManagementFactory;
import java.util.Random;

/** CPU seconds of one training epoch of one head member at the shipped size (1,883 rows x 384, 65 classes). */
public class EpochCpu {
    public static void main(String[] args) {
        int n = 1883, classes = 65, epochs = Integer.parseInt(args[0]);
        Random r = new Random(1);
        float[][] x = new float[n][384];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) { for (int d = 0; d < 384; d++) x[i][d] = (float) r.nextGaussian(); y[i] = r.nextInt(classes); }
        double[] w = new double[classes]; java.util.Arrays.fill(w, 1);
        HeadTrainer t = new HeadTrainer(HeadTrainer.Settings.defaults(42), System.out);
        t.trainFixedEpochs(x, y, classes, w, 1, 1); // warm-up (native init, JIT)
        var mx = ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
        t.trainFixedEpochs(x, y, classes, w, epochs, 2);
        System.out.printf("epochs=%d cpu_s=%.2f wall_s=%.2f cpu_per_epoch_s=%.3f%n", epochs, (mx.getCurrentThreadCpuTime() - c0) / 1e9,
                (System.nanoTime() - w0) / 1e9, (mx.getCurrentThreadCpuTime() - c0) / 1e9 / epochs);
    }
}
