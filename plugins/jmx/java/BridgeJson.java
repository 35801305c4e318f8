// The bridge's own JSON: the agent ships no jars, so this reads and writes the small subset the
// line protocol uses (objects, arrays, strings, numbers, booleans, null). Java 8 source level on
// purpose: Maximo hosts often run IBM Java 8, and the bridge compiles with the JDK it finds.
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class BridgeJson {
    private final String text;
    private int at;

    private BridgeJson(String text) {
        this.text = text;
    }

    /** Parses one JSON document; throws IllegalArgumentException naming the offset on bad input. */
    static Object parse(String text) {
        BridgeJson p = new BridgeJson(text);
        p.skipSpace();
        Object value = p.value();
        p.skipSpace();
        if (p.at != text.length()) throw p.fail("unexpected text after the value");
        return value;
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private Object value() {
        if (at >= text.length()) throw fail("unexpected end of input");
        char c = text.charAt(at);
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"') return string();
        if (text.startsWith("true", at)) { at += 4; return Boolean.TRUE; }
        if (text.startsWith("false", at)) { at += 5; return Boolean.FALSE; }
        if (text.startsWith("null", at)) { at += 4; return null; }
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw fail("unexpected character '" + c + "'");
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<String, Object>();
        at++;
        skipSpace();
        if (peek() == '}') { at++; return map; }
        while (true) {
            skipSpace();
            if (peek() != '"') throw fail("expected a property name");
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            map.put(key, value());
            skipSpace();
            if (peek() == ',') { at++; continue; }
            expect('}');
            return map;
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<Object>();
        at++;
        skipSpace();
        if (peek() == ']') { at++; return list; }
        while (true) {
            skipSpace();
            list.add(value());
            skipSpace();
            if (peek() == ',') { at++; continue; }
            expect(']');
            return list;
        }
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) throw fail("unterminated string");
            char c = text.charAt(at++);
            if (c == '"') return out.toString();
            if (c != '\\') { out.append(c); continue; }
            if (at >= text.length()) throw fail("unterminated escape");
            char e = text.charAt(at++);
            switch (e) {
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'u':
                    if (at + 4 > text.length()) throw fail("short \\u escape");
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                    break;
                default: out.append(e); // \" \\ \/
            }
        }
    }

    private Number number() {
        int start = at;
        if (peek() == '-') at++;
        boolean integral = true;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c >= '0' && c <= '9') { at++; continue; }
            if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') { integral = false; at++; continue; }
            break;
        }
        String n = text.substring(start, at);
        try {
            return integral ? (Number) Long.valueOf(n) : (Number) Double.valueOf(n);
        } catch (NumberFormatException e) {
            return Double.valueOf(n);
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) throw fail("expected '" + c + "'");
        at++;
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
    }

    private IllegalArgumentException fail(String why) {
        return new IllegalArgumentException("bad JSON at offset " + at + ": " + why);
    }

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String) {
            quote(out, (String) v);
        } else if (v instanceof Boolean) {
            out.append(v.toString());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            // JSON has no NaN or Infinity: they travel as text and the agent keeps them out of samples
            if (Double.isNaN(d) || Double.isInfinite(d)) quote(out, v.toString());
            else if (d == Math.rint(d) && Math.abs(d) < 1e15) out.append((long) d);
            else out.append(Double.toString(d));
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger || v instanceof BigDecimal) {
            out.append(v.toString());
        } else if (v instanceof Number) {
            write(out, Double.valueOf(((Number) v).doubleValue()));
        } else if (v instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                if (!first) out.append(',');
                first = false;
                quote(out, e.getKey());
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (v instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object item : (List<Object>) v) {
                if (!first) out.append(',');
                first = false;
                write(out, item);
            }
            out.append(']');
        } else {
            quote(out, v.toString());
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c == '\n') out.append("\\n");
            else if (c == '\r') out.append("\\r");
            else if (c == '\t') out.append("\\t");
            else if (c < 0x20 || c == '\u2028' || c == '\u2029') out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        out.append('"');
    }
}
