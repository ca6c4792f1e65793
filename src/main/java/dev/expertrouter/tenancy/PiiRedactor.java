package dev.expertrouter.tenancy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes e-mail addresses, phone numbers and payment card numbers out of text before it is stored
 * (an outcome's prompt text, where a tenant allows storing it). Pure and thread-safe. Card numbers
 * are replaced only when their digits pass the Luhn check, so order numbers and the like stay.
 * Phone numbers are runs of 8 to 15 digits with the usual separators, optionally with a leading
 * {@code +}; shorter numbers (years, amounts, counts) are left alone.
 */
public final class PiiRedactor {

    public static final String EMAIL = "[email]";
    public static final String PHONE = "[phone]";
    public static final String CARD = "[card]";

    private static final Pattern EMAIL_PATTERN = Pattern.compile(
            "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /** 13 to 19 digits, single spaces or dashes between groups. */
    private static final Pattern CARD_PATTERN = Pattern.compile("(?<![\\d.,])\\d(?:[ -]?\\d){12,18}(?![\\d])");
    /** A leading + or (, then digits with spaces, dots, dashes or parentheses between them. */
    private static final Pattern PHONE_PATTERN = Pattern.compile("(?<![\\w.,])(?:\\+|\\(\\d)?[\\d(][\\d ().-]{6,22}\\d(?![\\w])");

    private PiiRedactor() {
    }

    /** The text with every e-mail, Luhn-valid card number and phone number replaced by a marker. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = EMAIL_PATTERN.matcher(text).replaceAll(EMAIL);
        out = replace(out, CARD_PATTERN, m -> luhn(digits(m)) ? CARD : null);
        return replace(out, PHONE_PATTERN, m -> {
            int n = digits(m).length();
            return n >= 8 && n <= 15 ? PHONE : null;
        });
    }

    private static String replace(String text, Pattern pattern, java.util.function.Function<String, String> replacement) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String r = replacement.apply(m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(r == null ? m.group() : r));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String digits(String s) {
        StringBuilder d = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                d.append(s.charAt(i));
            }
        }
        return d.toString();
    }

    /** The Luhn checksum payment card numbers carry. */
    static boolean luhn(String digits) {
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
