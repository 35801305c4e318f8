// The agent's long-lived JMX client: one JSON request per stdin line, one JSON answer per stdout
// line, matched by id. Starting a JVM per query costs 150-210 ms; this process keeps its JVM and
// its JMX connections (one per url, user and password) and answers in about a millisecond.
//
// Requests run concurrently, each bounded by its own timeoutMs, so a slow or hung MBean server
// never holds up the others. Passwords are never written anywhere: errors are scrubbed of them.
// The process ends on a "close" request or when stdin closes (the agent went away).
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

public final class EsmonJmxBridge {
    private final PrintStream out;
    private final ExecutorService pool = Executors.newCachedThreadPool(new ThreadFactory() {
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "esmon-jmx");
            t.setDaemon(true);
            return t;
        }
    });
    private final ConcurrentHashMap<String, Connection> connections = new ConcurrentHashMap<String, Connection>();

    private EsmonJmxBridge(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
        // stdout carries answers only: anything else printing (RMI, a JMX provider) goes to stderr
        System.setOut(System.err);
        new EsmonJmxBridge(protocol).run(new BufferedReader(new InputStreamReader(System.in, "UTF-8")));
    }

    private void run(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().isEmpty()) continue;
            final Map<String, Object> request;
            try {
                request = asMap(BridgeJson.parse(line));
            } catch (RuntimeException e) {
                answer(failure(null, "bad request: " + e.getMessage(), false));
                continue;
            }
            if ("close".equals(request.get("op"))) {
                answer(success(request.get("id")));
                break;
            }
            pool.execute(new Runnable() {
                public void run() {
                    answer(handle(request));
                }
            });
        }
        for (Connection c : connections.values()) c.drop();
        out.flush();
        System.exit(0);
    }

    private Map<String, Object> handle(final Map<String, Object> request) {
        Object id = request.get("id");
        Object op = request.get("op");
        if ("ping".equals(op)) return success(id);
        if (!"read".equals(op)) return failure(id, "unknown op " + op, false);
        final String password = text(request, "password");
        long timeoutMs = request.get("timeoutMs") instanceof Number ? ((Number) request.get("timeoutMs")).longValue() : 10000L;
        Future<Map<String, Object>> work = pool.submit(new java.util.concurrent.Callable<Map<String, Object>>() {
            public Map<String, Object> call() throws Exception {
                return read(request);
            }
        });
        try {
            Map<String, Object> answer = work.get(timeoutMs, TimeUnit.MILLISECONDS);
            answer.put("id", id);
            return answer;
        } catch (TimeoutException e) {
            work.cancel(true);
            return failure(id, "no answer from " + text(request, "url") + " within " + timeoutMs + " ms", true);
        } catch (ExecutionException e) {
            return failure(id, scrub(describe(e.getCause()), password), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(id, "interrupted", false);
        }
    }

    private Map<String, Object> read(Map<String, Object> request) throws Exception {
        String url = text(request, "url");
        String user = text(request, "user");
        String password = text(request, "password");
        if (url == null) throw new IllegalArgumentException("a read needs a url");
        Connection connection = connection(url, user, password);
        boolean reused = connection.isOpen();
        MBeanReads reads;
        try {
            reads = readAll(connection.open(), request);
        } catch (IOException e) {
            connection.drop();
            // a kept connection may have died with the target JVM's restart: one fresh attempt
            if (!reused) throw e;
            reads = readAll(connection.open(), request);
        }
        Map<String, Object> answer = new LinkedHashMap<String, Object>();
        answer.put("ok", reads.errors.isEmpty());
        answer.put("values", reads.values);
        if (!reads.notes.isEmpty()) answer.put("notes", reads.notes);
        if (!reads.errors.isEmpty()) answer.put("error", scrub(String.join("; ", reads.errors), password));
        return answer;
    }

    private static MBeanReads readAll(MBeanServerConnection server, Map<String, Object> request) throws IOException {
        MBeanReads reads = new MBeanReads(server);
        Object list = request.get("reads");
        if (!(list instanceof List)) throw new IllegalArgumentException("a read needs a list of reads");
        for (Object item : (List<?>) list) {
            Map<String, Object> r = asMap(item);
            List<String> attributes = new ArrayList<String>();
            if (r.get("attributes") instanceof List) {
                for (Object a : (List<?>) r.get("attributes")) attributes.add(String.valueOf(a));
            }
            reads.read(String.valueOf(r.get("mbean")), attributes);
        }
        return reads;
    }

    private Connection connection(String url, String user, String password) {
        // the password's digest is part of the key: a wrong password must not ride on a connection
        // that a right one opened
        String key = url + "\u0000" + (user == null ? "" : user) + "\u0000" + digest(password);
        Connection c = connections.get(key);
        if (c != null) return c;
        Connection fresh = new Connection(url, user, password);
        c = connections.putIfAbsent(key, fresh);
        return c == null ? fresh : c;
    }

    /** One JMX connection, opened on first use and again after drop(). */
    private static final class Connection {
        private final String url;
        private final String user;
        private final String password;
        private JMXConnector connector;
        private MBeanServerConnection server;

        Connection(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        synchronized boolean isOpen() {
            return server != null;
        }

        synchronized MBeanServerConnection open() throws IOException {
            if (server != null) return server;
            Map<String, Object> env = new HashMap<String, Object>();
            if (user != null) env.put(JMXConnector.CREDENTIALS, new String[] {user, password == null ? "" : password});
            try {
                JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(url), env);
                server = c.getMBeanServerConnection();
                connector = c;
                return server;
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot connect to " + url + ": " + describe(e));
            }
        }

        synchronized void drop() {
            if (connector != null) {
                try {
                    connector.close();
                } catch (Exception e) {
                    // the connection is already gone: nothing to release
                }
            }
            connector = null;
            server = null;
        }
    }

    /** The innermost cause, which names what really failed (Connection refused, not "Failed to retrieve RMIServer stub"). */
    static String describe(Throwable t) {
        if (t instanceof IOException && t.getMessage() != null && t.getMessage().startsWith("cannot connect to ")) return t.getMessage();
        Throwable root = t;
        boolean refused = false;
        for (Throwable at = t; at != null; at = at.getCause() == at ? null : at.getCause()) {
            // SecurityException from the JMX agent, FailedLoginException (a GeneralSecurityException) from its login module
            refused |= at instanceof SecurityException || at instanceof java.security.GeneralSecurityException;
            root = at;
        }
        String message = root.getMessage();
        if (refused) return "authentication failed (" + message + ")";
        String kind = root.getClass().getSimpleName();
        return message == null ? kind : message + " (" + kind + ")";
    }

    private static String scrub(String message, String password) {
        if (message == null || password == null || password.isEmpty()) return message;
        return message.replace(password, "***");
    }

    private static String digest(String password) {
        if (password == null) return "";
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(password.getBytes("UTF-8"));
            StringBuilder hex = new StringBuilder();
            for (byte b : d) hex.append(String.format("%02x", b));
            return hex.toString();
        } catch (Exception e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private synchronized void answer(Map<String, Object> answer) {
        out.print(BridgeJson.write(answer));
        out.print('\n');
        out.flush();
        if (out.checkError()) System.exit(0); // the agent closed our stdout: nobody to answer
    }

    private static Map<String, Object> success(Object id) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("id", id);
        m.put("ok", Boolean.TRUE);
        m.put("values", new ArrayList<Object>());
        return m;
    }

    private static Map<String, Object> failure(Object id, String error, boolean timedOut) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("id", id);
        m.put("ok", Boolean.FALSE);
        m.put("values", new ArrayList<Object>());
        m.put("error", error);
        if (timedOut) m.put("timedOut", Boolean.TRUE);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        if (o instanceof Map) return (Map<String, Object>) o;
        throw new IllegalArgumentException("expected a JSON object");
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
