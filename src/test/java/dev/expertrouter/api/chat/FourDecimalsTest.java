package dev.expertrouter.api.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FourDecimalsTest {

    @Test
    void sameTextAsTheFormatterItReplaces() {
        Random r = new Random(3);
        for (double p : new double[] {0, 1, 0.5, 0.00004, 0.00005, 0.99995, 0.99994, 0.123456, 1e-9}) {
            assertThat(ChatExchange.fourDecimals(p)).as("%s", p).isEqualTo(String.format(Locale.ROOT, "%.4f", p));
        }
        for (int i = 0; i < 10_000; i++) {
            double p = r.nextDouble();
            String expected = String.format(Locale.ROOT, "%.4f", p);
            String actual = ChatExchange.fourDecimals(p);
            // Formatter rounds the exact decimal expansion half-up, Math.round the binary product:
            // they may differ by one unit in the last place on exact ties only
            assertThat(Math.abs(Double.parseDouble(actual) - Double.parseDouble(expected))).as("%s", p).isLessThanOrEqualTo(0.0001 + 1e-12);
        }
    }
}
