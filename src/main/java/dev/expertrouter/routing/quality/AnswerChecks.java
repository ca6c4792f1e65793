package dev.expertrouter.routing.quality;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap, deterministic checks of one expert answer against its prompt, as features for an
 * {@link AnswerVerifier}: does the answer state a final result, is the arithmetic it shows right,
 * is the result a number of the kind the prompt implies, how long and how hedged is it. No model
 * and no I/O: regular expressions and a small calculator over the first {@link #MAX_CHARS}
 * characters, well under a millisecond.
 *
 * <p>The arithmetic check is the strongest signal on worked answers (math, finance, science word
 * problems): every {@code <<expression=value>>} calculator annotation and every inline
 * {@code 12 * 3 + 4 = 40} the answer shows is recomputed; a wrong one is rarely followed by a right
 * result. On answers without numbers the checks mostly read zero and the verifier learns from length
 * and hedging alone.
 */
public final class AnswerChecks {

    /**
     * Version of the features' definitions, stored beside them in outcome records: bump it when a
     * feature is added, removed or computed differently, so old numbers are not read as new ones.
     */
    public static final int VERSION = 1;

    /** Longest prefix of an answer or prompt that is read. */
    public static final int MAX_CHARS = 16_384;

    /** Feature names, in the order {@link #of} returns them. */
    public static final List<String> FEATURES = List.of(
            "no_final_marker",          // no "####", "the answer is", "final answer", \boxed{ or "answer:"
            "calculator_error",         // 1 when a <<expression=value>> annotation is wrong
            "inline_error",             // 1 when an inline calculation (12 * 3 = 36) is wrong
            "error_count",              // wrong calculations / 3, at most 1
            "checked_calculations",     // checked calculations / 10, at most 1
            "final_disagrees",          // the marked final number is not the answer's last number
            "final_not_integer",        // the final number has a fraction (or there is none)
            "final_negative",           // the final number is below zero
            "final_repeats_prompt",     // the final number is one the prompt already gave
            "answer_length",            // ln(1 + chars) / 8
            "prompt_length",            // ln(1 + chars) / 8
            "prompt_numbers",           // numbers in the prompt / 10, at most 1
            "prompt_numbers_unused",    // share of the prompt's distinct numbers the answer never mentions
            "answer_lines",             // lines / 20, at most 1
            "hedging",                  // "assume", "approximately", "not enough information", ...
            "second_guessing",          // "however", "wait", "actually", "mistake", "but ", "correct"
            "words_per_number");        // the answer's words per number it shows / 20, at most 1: reasoning in words

    private static final String NUMBER = "-?\\d[\\d,]*(?:\\.\\d+)?";
    private static final Pattern NUMBER_PATTERN = Pattern.compile(NUMBER);
    private static final Pattern ANNOTATION = Pattern.compile("<<([^=<>]{1,200})=([^<>]{1,40})>>");
    /** A term of an inline calculation: a number, a '$' and parentheses allowed around it. */
    private static final String TERM = "\\$?\\(*+\\s*+\\d[\\d,]*+(?:\\.\\d++)?+\\)*+";
    /**
     * An inline calculation: terms joined by operators, '=', a number. It must not start inside a
     * longer expression (a digit, operator or '$' just before it) nor stop inside one (the number
     * followed by an operator and a term, a fraction's '/' or a '%'), so chains like
     * {@code 22 + 4 x 12 = 22 + 48 = 70} are read at their last step. Every quantifier is possessive
     * (nothing is given back), so no input makes the matcher backtrack more than linearly.
     */
    private static final Pattern INLINE = Pattern.compile(
            "(?<![\\d.,/*×÷+\\-$(]\\s{0,2})"
                    + "(" + TERM + "(?:\\s*+[-+*/x×÷]\\s*+" + TERM + ")++)\\s*+=\\s*+\\$?(-?\\d[\\d,]*+(?:\\.\\d++)?+)"
                    + "(?!\\s*[-+*/x×÷]\\s*[\\d$(]|%|[.,]?\\d)");
    private static final Pattern FINAL_MARKED = Pattern.compile(
            "(?:####|answer is|final answer[:\\s]*|\\\\boxed\\{|answer:)\\s*\\**\\s*\\$?\\s*(" + NUMBER + ")",
            Pattern.CASE_INSENSITIVE);
    /** A final-answer marker: what {@link #FINAL_MARKED} needs before its number. */
    private static final List<String> MARKERS = List.of("####", "answer is", "final answer", "\\boxed{", "answer:");
    /** The markers as one pattern, for tests to hold {@link #hasMarker} to. */
    static final Pattern MARKER = Pattern.compile("####|answer is|final answer|\\\\boxed\\{|answer:",
            Pattern.CASE_INSENSITIVE);
    private static final List<String> SECOND_GUESSES = List.of("however", "wait", "actually", "mistake", "but ",
            "correct");
    private static final List<String> HEDGES = List.of("assum", "approximately", "not enough information",
            "cannot be determined", "unclear", "not possible to");

    private AnswerChecks() {
    }

    /** The {@link #FEATURES} of {@code answer} to {@code prompt}; both may be empty, neither null. */
    public static double[] of(String prompt, String answer) {
        String a = answer.length() > MAX_CHARS ? answer.substring(0, MAX_CHARS) : answer;
        String p = prompt.length() > MAX_CHARS ? prompt.substring(0, MAX_CHARS) : prompt;
        // the patterns are costly on long prose: each is skipped where the text cannot hold a match
        boolean marked = hasMarker(a);
        int[] arithmetic = a.indexOf('=') < 0 ? new int[4] : arithmetic(a);
        int checked = arithmetic[0] + arithmetic[2];
        int wrong = arithmetic[1] + arithmetic[3];
        Double last = lastNumber(a);
        Double result = marked ? finalNumber(a, last) : last;
        List<Double> given = numbers(p);
        List<Double> shown = numbers(a);
        String lower = a.toLowerCase(Locale.ROOT);
        return new double[] {
            marked ? 0 : 1,
            arithmetic[1] > 0 ? 1 : 0,
            arithmetic[3] > 0 ? 1 : 0,
            Math.min(1, wrong / 3.0),
            Math.min(1, checked / 10.0),
            result != null && last != null && Math.abs(result - last) > 1e-9 ? 1 : 0,
            result == null || Math.abs(result - Math.rint(result)) > 1e-9 ? 1 : 0,
            result != null && result < 0 ? 1 : 0,
            result != null && given.stream().anyMatch(g -> Math.abs(g - result) < 1e-9) ? 1 : 0,
            Math.log1p(answer.length()) / 8,
            Math.log1p(prompt.length()) / 8,
            Math.min(1, given.size() / 10.0),
            unused(given, shown),
            Math.min(1, a.chars().filter(c -> c == '\n').count() / 20.0),
            HEDGES.stream().anyMatch(lower::contains) ? 1 : 0,
            SECOND_GUESSES.stream().anyMatch(lower::contains) ? 1 : 0,
            Math.min(1, words(a) / (double) Math.max(1, shown.size()) / 20),
        };
    }

    /**
     * {checked, wrong} over the answer's calculator annotations, then {checked, wrong} over its
     * inline calculations (annotations taken out first).
     */
    static int[] arithmetic(String answer) {
        int[] out = new int[4];
        Matcher m = ANNOTATION.matcher(answer);
        while (m.find()) {
            int verdict = verdict(m.group(1), m.group(2));
            out[0] += verdict >= 0 ? 1 : 0;
            out[1] += verdict == 1 ? 1 : 0;
        }
        // markdown escapes a '*' as "\\*"; the annotations go first, with nothing left in their place
        m = INLINE.matcher(ANNOTATION.matcher(answer).replaceAll("").replace("\\*", "*"));
        while (m.find()) {
            int verdict = verdict(m.group(1), m.group(2));
            out[2] += verdict >= 0 ? 1 : 0;
            out[3] += verdict == 1 ? 1 : 0;
        }
        return out;
    }

    /** -1 when the expression or value cannot be read, 0 when they agree (within 1%), 1 when not. */
    private static int verdict(String expression, String value) {
        Double computed = Calculator.evaluate(expression);
        Double stated = parse(value.strip().replace("$", ""));
        if (computed == null || stated == null || computed.isInfinite() || computed.isNaN()) {
            return -1;
        }
        if (Math.abs(computed - stated) <= 0.01 * Math.max(1, Math.abs(computed))) {
            return 0;
        }
        // 73 / 8 = 9 boxes: a whole number within one of the result is a rounding, not a slip
        boolean rounded = stated == Math.rint(stated) && Math.abs(computed - stated) < 1;
        return rounded ? 0 : 1;
    }

    /** The number after the last final-answer marker, else the last number in the answer. */
    static Double finalNumber(String answer) {
        return finalNumber(answer, lastNumber(answer));
    }

    private static Double finalNumber(String answer, Double lastNumber) {
        Matcher m = FINAL_MARKED.matcher(answer);
        String marked = null;
        while (m.find()) {
            marked = m.group(1);
        }
        return marked == null ? lastNumber : parse(marked);
    }

    /**
     * Whether {@link #MARKER} is found: the same markers, with the same (ASCII-only) case folding,
     * by plain searches instead of a case-insensitive alternation tried at every position.
     */
    static boolean hasMarker(String answer) {
        StringBuilder folded = new StringBuilder(answer.length());
        for (int i = 0; i < answer.length(); i++) {
            char c = answer.charAt(i);
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        String lower = folded.toString();
        for (String m : MARKERS) {
            if (lower.contains(m)) {
                return true;
            }
        }
        return false;
    }

    private static Double lastNumber(String answer) {
        Matcher n = NUMBER_PATTERN.matcher(answer);
        String last = null;
        while (n.find()) {
            last = n.group();
        }
        return last == null ? null : parse(last);
    }

    private static int words(String text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean letter = !Character.isWhitespace(text.charAt(i));
            words += letter && !inWord ? 1 : 0;
            inWord = letter;
        }
        return words;
    }

    private static double unused(List<Double> given, List<Double> mentioned) {
        java.util.Set<Double> distinct = new java.util.HashSet<>(given);
        if (distinct.isEmpty()) {
            return 0;
        }
        int all = distinct.size();
        distinct.removeAll(new java.util.HashSet<>(mentioned));
        return distinct.size() / (double) all;
    }

    private static List<Double> numbers(String text) {
        Matcher m = NUMBER_PATTERN.matcher(text);
        List<Double> out = new java.util.ArrayList<>();
        while (m.find()) {
            Double v = parse(m.group());
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** A number with optional thousands commas ("1,234.5"); null when commas are not thousands. */
    static Double parse(String s) {
        String t = s.strip().replaceAll(",+$", "");
        if (t.contains(",") && !t.matches("-?\\d{1,3}(,\\d{3})+(\\.\\d+)?")) {
            return null;
        }
        try {
            return Double.parseDouble(t.replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** + - * / (x, × and ÷ too) and parentheses over numbers; null when the text is anything else. */
    static final class Calculator {
        private final String s;
        private int i;

        private Calculator(String s) {
            this.s = s;
        }

        static Double evaluate(String expression) {
            String t = expression.replace("$", "").replace('×', '*').replace('÷', '/').replace('x', '*')
                    .replace(" ", "");
            if (t.isEmpty() || t.length() > 200) {
                return null;
            }
            Calculator c = new Calculator(t);
            Double v = c.sum();
            return v != null && c.i == t.length() ? v : null;
        }

        private Double sum() {
            Double v = product();
            while (v != null && i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                char op = s.charAt(i++);
                Double r = product();
                v = r == null ? null : op == '+' ? v + r : v - r;
            }
            return v;
        }

        private Double product() {
            Double v = atom();
            while (v != null && i < s.length() && (s.charAt(i) == '*' || s.charAt(i) == '/')) {
                char op = s.charAt(i++);
                Double r = atom();
                v = r == null ? null : op == '*' ? v * r : v / r;
            }
            return v;
        }

        private Double atom() {
            if (i < s.length() && s.charAt(i) == '(') {
                i++;
                Double v = sum();
                if (v == null || i >= s.length() || s.charAt(i) != ')') {
                    return null;
                }
                i++;
                return v;
            }
            if (i < s.length() && s.charAt(i) == '-') {
                i++;
                Double v = atom();
                return v == null ? null : -v;
            }
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == ',')) {
                i++;
            }
            return start == i ? null : parse(s.substring(start, i));
        }
    }
}
