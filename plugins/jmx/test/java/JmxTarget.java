// A stand-in for a WebSphere JVM: registers thread pools under WebSphere:type=ThreadPool, one
// attribute that answers slowly (for timeouts and a bridge killed mid-request), prints "ready",
// and exits when its stdin closes so a crashed test run leaves no JVM behind.
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

public class JmxTarget {
    public interface ThreadPoolMBean {
        int getActiveCount();
        int getPoolSize();
        String getDescription();
        boolean isGrowable();
        long getSlowCount();
    }

    static final class ThreadPool implements ThreadPoolMBean {
        private final int active;
        private final int size;

        ThreadPool(int active, int size) {
            this.active = active;
            this.size = size;
        }

        public int getActiveCount() { return active; }
        public int getPoolSize() { return size; }
        public String getDescription() { return "pool of " + size; }
        public boolean isGrowable() { return false; }

        public long getSlowCount() {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 7;
        }
    }

    public static void main(String[] args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        server.registerMBean(new StandardMBean(new ThreadPool(3, 50), ThreadPoolMBean.class),
                new ObjectName("WebSphere:type=ThreadPool,name=WebContainer,process=MXServer"));
        server.registerMBean(new StandardMBean(new ThreadPool(1, 10), ThreadPoolMBean.class),
                new ObjectName("WebSphere:type=ThreadPool,name=\"ORB.thread.pool\",process=MXServer,mbean-id=orb#1"));
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the test to go away
        }
    }
}
