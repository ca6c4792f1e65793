package dev.expertrouter.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PiiRedactorTest {

    @Test
    void emailsAreRedacted() {
        assertThat(PiiRedactor.redact("write to jane.doe+work@example.co.uk today"))
                .isEqualTo("write to [email] today");
        assertThat(PiiRedactor.redact("a@b.io, x_y@sub.domain.org")).isEqualTo("[email], [email]");
    }

    @Test
    void cardNumbersAreRedactedOnlyWhenTheLuhnCheckPasses() {
        assertThat(PiiRedactor.redact("card 4111 1111 1111 1111 exp 12/29")).isEqualTo("card [card] exp 12/29");
        assertThat(PiiRedactor.redact("card 4111-1111-1111-1111.")).isEqualTo("card [card].");
        assertThat(PiiRedactor.redact("amex 378282246310005")).isEqualTo("amex [card]");
        // same length, checksum wrong: an order number, kept
        assertThat(PiiRedactor.redact("order 4111111111111112 shipped")).isEqualTo("order 4111111111111112 shipped");
    }

    @Test
    void phoneNumbersAreRedactedButShortNumbersStay() {
        assertThat(PiiRedactor.redact("call +1 (415) 555-0132 now")).isEqualTo("call [phone] now");
        assertThat(PiiRedactor.redact("tel. +44 20 7946 0958")).isEqualTo("tel. [phone]");
        assertThat(PiiRedactor.redact("ring 030-12345678")).isEqualTo("ring [phone]");
        assertThat(PiiRedactor.redact("In 2024 I paid 1,250.75 for 3 items, dose 0.5 mg twice a day"))
                .isEqualTo("In 2024 I paid 1,250.75 for 3 items, dose 0.5 mg twice a day");
        assertThat(PiiRedactor.redact("what is 12345 * 678?")).isEqualTo("what is 12345 * 678?");
    }

    @Test
    void emptyAndNullPassThrough() {
        assertThat(PiiRedactor.redact(null)).isNull();
        assertThat(PiiRedactor.redact("")).isEmpty();
        assertThat(PiiRedactor.luhn("79927398713")).isFalse(); // valid Luhn but too short for a card
    }
}
