// Reads the requested attributes over one MBeanServerConnection and flattens them into values:
// CompositeData is opened key by key (`HeapMemoryUsage.used`, or every key when the attribute is
// asked for whole), TabularData and arrays are skipped with a note, patterns go through
// queryNames. A missing MBean or attribute is an error naming it; the other values still count.
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

final class MBeanReads {
    final List<Object> values = new ArrayList<Object>();
    final List<Object> notes = new ArrayList<Object>();
    final List<String> errors = new ArrayList<String>();
    private final MBeanServerConnection server;

    MBeanReads(MBeanServerConnection server) {
        this.server = server;
    }

    /** Reads one {mbean, attributes} entry. IOException means the connection broke: the caller reconnects. */
    void read(String mbean, List<String> attributes) throws IOException {
        ObjectName pattern;
        try {
            pattern = new ObjectName(mbean);
        } catch (MalformedObjectNameException e) {
            errors.add("bad ObjectName \"" + mbean + "\": " + e.getMessage());
            return;
        }
        Set<ObjectName> names = new TreeSet<ObjectName>();
        if (pattern.isPattern()) {
            names.addAll(server.queryNames(pattern, null));
            if (names.isEmpty()) errors.add("no MBean matches " + mbean);
        } else {
            names.add(pattern);
        }
        for (ObjectName name : names) readOne(name, attributes);
    }

    private void readOne(ObjectName name, List<String> paths) throws IOException {
        Set<String> roots = new LinkedHashSet<String>();
        for (String path : paths) roots.add(rootOf(path));
        Map<String, Object> got = new LinkedHashMap<String, Object>();
        try {
            // one round trip per MBean; attributes it leaves out are asked again one by one below
            AttributeList list = server.getAttributes(name, roots.toArray(new String[0]));
            for (Attribute a : list.asList()) got.put(a.getName(), a.getValue());
        } catch (InstanceNotFoundException e) {
            errors.add("MBean not found: " + name);
            return;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            errors.add("reading " + name + " failed: " + EsmonJmxBridge.describe(e));
            return;
        }
        for (String root : roots) {
            if (got.containsKey(root)) continue;
            try {
                got.put(root, server.getAttribute(name, root));
            } catch (AttributeNotFoundException e) {
                errors.add(name + " has no attribute " + root);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                errors.add("reading " + name + " " + root + " failed: " + EsmonJmxBridge.describe(e));
            }
        }
        Map<String, Object> props = properties(name);
        for (String path : paths) {
            String root = rootOf(path);
            if (!got.containsKey(root)) continue;
            Object value = got.get(root);
            String key = path.length() > root.length() ? path.substring(root.length() + 1) : null;
            if (key != null) {
                value = openKey(name, root, value, key);
                if (value == NO_KEY) continue;
            }
            emit(name, props, root, key, value);
        }
    }

    private static final Object NO_KEY = new Object();

    private Object openKey(ObjectName name, String root, Object value, String keyPath) {
        Object at = value;
        for (String k : keyPath.split("\\.")) {
            if (!(at instanceof CompositeData) || !((CompositeData) at).containsKey(k)) {
                errors.add(name + " " + root + " has no key " + keyPath);
                return NO_KEY;
            }
            at = ((CompositeData) at).get(k);
        }
        return at;
    }

    private void emit(ObjectName name, Map<String, Object> props, String attribute, String key, Object value) {
        String path = key == null ? attribute : attribute + "." + key;
        if (value instanceof CompositeData) {
            CompositeData cd = (CompositeData) value;
            for (String k : new TreeSet<String>(cd.getCompositeType().keySet())) {
                emit(name, props, attribute, key == null ? k : key + "." + k, cd.get(k));
            }
            return;
        }
        if (value == null) { note(name, path, "the value is null"); return; }
        if (value instanceof TabularData) { note(name, path, "TabularData is not read; ask for a CompositeData key or another attribute"); return; }
        if (value.getClass().isArray()) { note(name, path, "an array (" + Array.getLength(value) + " items) is not read"); return; }
        Map<String, Object> v = new LinkedHashMap<String, Object>();
        v.put("mbean", name.toString());
        v.put("props", props);
        v.put("attribute", attribute);
        if (key != null) v.put("key", key);
        v.put("value", value instanceof Number || value instanceof Boolean ? value : value.toString());
        values.add(v);
    }

    private void note(ObjectName name, String path, String why) {
        Map<String, Object> n = new LinkedHashMap<String, Object>();
        n.put("mbean", name.toString());
        n.put("attribute", path);
        n.put("note", why);
        notes.add(n);
    }

    /** The ObjectName's key properties with quoted values unquoted: they become sample labels. */
    private static Map<String, Object> properties(ObjectName name) {
        Map<String, Object> props = new LinkedHashMap<String, Object>();
        Hashtable<String, String> list = name.getKeyPropertyList();
        for (String k : new TreeSet<String>(list.keySet())) {
            String v = list.get(k);
            if (v.startsWith("\"")) {
                try {
                    v = ObjectName.unquote(v);
                } catch (IllegalArgumentException e) {
                    // keep the quoted text: still a usable label
                }
            }
            props.put(k, v);
        }
        return props;
    }

    private static String rootOf(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }
}
