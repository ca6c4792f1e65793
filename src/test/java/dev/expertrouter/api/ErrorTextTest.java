package dev.expertrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorTextTest {

    @Test
    void keysAndTokensAreRedacted() {
        String cleaned = ErrorText.clean("Incorrect API key provided: sk-proj-abcdefghijklmnop1234. Header was Bearer abc.def.ghi"
                + " api_key=\"zzz-secret\" trace 0123456789abcdef0123456789abcdef0123 tok QWxhZGRpbjpPcGVuU2VzYW1lQWxhZGRpbjpPcGVu==");
        assertThat(cleaned).doesNotContain("sk-proj-abcdefghijklmnop1234").doesNotContain("abc.def.ghi").doesNotContain("zzz-secret")
                .doesNotContain("0123456789abcdef0123456789abcdef0123").doesNotContain("QWxhZGRpbjpPcGVu")
                .contains("Incorrect API key provided").contains("[redacted]");
    }

    @Test
    void stackTracesAndExceptionClassesAreDropped() {
        String cleaned = ErrorText.clean("internal failure: java.lang.NullPointerException: x is null\n\tat com.acme.Model.run(Model.java:42)\n\tat com.acme.Main.main(Main.java:1)");
        assertThat(cleaned).doesNotContain("at com.acme").doesNotContain("java.lang.NullPointerException").contains("internal failure");
        assertThat(ErrorText.clean("boom\nTraceback (most recent call last):\n  File \"x.py\", line 1")).isEqualTo("boom");
    }

    @Test
    void longTextIsBoundedAndOrdinaryMessagesStay() {
        assertThat(ErrorText.clean("y ".repeat(2000))).hasSizeLessThanOrEqualTo(ErrorText.MAX_CHARS + 3);
        assertThat(ErrorText.clean("This model's maximum context length is 8192 tokens.")).isEqualTo("This model's maximum context length is 8192 tokens.");
    }
}
