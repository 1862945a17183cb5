import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics with one replica and waits until every partition has a leader: {@code
 * bin/kafka-broker create-topics}, run by the Java launcher from this source file on the broker's
 * classpath (the broker's artifacts have the admin client but not Kafka's command-line tools).
 *
 * <p>Arguments: bootstrap servers, partition count, topic names.
 */
public final class CreateTopics {

  private static final long TIMEOUT_SECONDS = 30;

  private CreateTopics() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int partitions = Integer.parseInt(args[1]);
    List<String> names = List.of(args).subList(2, args.length);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(new NewTopic(name, partitions, (short) 1));
      }
      admin.createTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      for (String name : names) {
        while (!led(admin, name, partitions)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("topic " + name + " has no leader for every partition after "
                + TIMEOUT_SECONDS + " s");
          }
          Thread.sleep(100);
        }
      }
    }
  }

  /** Whether the broker knows every partition of the topic with a leader. */
  private static boolean led(Admin admin, String name, int partitions) throws Exception {
    TopicDescription d;
    try {
      d = admin.describeTopics(List.of(name)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(name);
    } catch (ExecutionException e) {
      // The controller has the topic; the broker's metadata may not have it yet.
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
    return d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null);
  }
}
