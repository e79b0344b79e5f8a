package org.attenuator.itests.karaf.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeFalse;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Who can reach the console of our Karaf distribution, seen from outside it: the tar.gz unpacked
 * and started as an administrator would (bin/start), then attacked with the machine's OpenSSH
 * client, a second local user (uid 1000) and a TCP connect from the machine's own network
 * address. One Karaf for the whole class.
 */
public class ConsoleAccessIT {

    private static final String USER = "karaf";

    private static final String SECOND_USER_UID = "1000";

    private static final List<String> SECRETS = List.of("users.properties", "config.properties", "keys.properties", "host.key");

    private static Properties shippedUsers;
    private static Properties shippedKeys;
    private static UnpackedKaraf karaf;
    private static ProcessOutcome firstStart;
    private static OpenSsh ssh;

    @BeforeClass
    public static void unpackAndStart() throws Exception {
        Path work = Path.of("target", "console-access").toAbsolutePath();
        karaf = UnpackedKaraf.unpack(Path.of(System.getProperty("attenuator.karaf.tgz")), work);
        shippedUsers = load(karaf.etc("users.properties"));
        shippedKeys = load(karaf.etc("keys.properties"));
        firstStart = karaf.start();
        ssh = new OpenSsh(work, karaf.sshPort());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (karaf != null) {
            karaf.stop();
        }
    }

    @Test
    public void shippedFilesHoldNoUserAndNoKey() {
        assertEquals("users in the shipped etc/users.properties", List.of(), users(shippedUsers));
        assertEquals("users in the shipped etc/keys.properties", List.of(), users(shippedKeys));
    }

    @Test
    public void firstStartGivesTheUserARandomPasswordAndSaysWhere() throws Exception {
        assertTrue(firstStart.toString(), firstStart.output().contains(karaf.etc("users.properties").toString()));
        String password = password();
        assertNotEquals(USER, password);
        assertTrue("a password of 48 hex digits (192 random bits): " + password, password.matches("[0-9a-f]{48}"));
    }

    @Test
    public void knownPasswordIsRefused() throws Exception {
        ProcessOutcome guess = ssh.exec(USER, USER, "shell:echo logged-in");
        assertNotEquals(guess.toString(), 0, guess.exitStatus());
        assertTrue(guess.toString(), guess.output().contains("Permission denied"));
        assertFalse(guess.toString(), guess.output().contains("logged-in"));

        // the same client with the generated password gets in: the refusal above is the password's
        ProcessOutcome owner = ssh.exec(USER, password(), "shell:echo logged-in");
        assertEquals(owner.toString(), 0, owner.exitStatus());
        assertTrue(owner.toString(), owner.output().contains("logged-in"));
    }

    @Test
    public void sftpIsOffEvenWithThePassword() throws Exception {
        ProcessOutcome sftp = ssh.sftp(USER, password());
        assertNotEquals(sftp.toString(), 0, sftp.exitStatus());
        assertTrue(sftp.toString(), sftp.output().contains("subsystem request failed"));
    }

    @Test
    public void consoleAnswersOnLoopbackOnly() throws SocketException {
        assertTrue("127.0.0.1:" + karaf.sshPort(), UnpackedKaraf.connects(InetAddress.getLoopbackAddress(), karaf.sshPort()));
        List<InetAddress> network = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .collect(Collectors.toList());
        assumeFalse("this machine has a network address besides loopback", network.isEmpty());
        for (InetAddress address : network) {
            assertFalse(address + ":" + karaf.sshPort(), UnpackedKaraf.connects(address, karaf.sshPort()));
        }
    }

    @Test
    public void secretsAndLogsAreReadableByTheOwnerOnly() throws Exception {
        // Karaf writes its SSH host key at the first key exchange.
        ssh.exec(USER, USER, "shell:echo");
        ProcessOutcome control = asSecondUser("cat", karaf.etc("system.properties").toString());
        assertEquals("the second user reaches etc/ at all: " + control, 0, control.exitStatus());
        for (String secret : SECRETS) {
            Path file = karaf.etc(secret);
            assertEquals(secret, "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            ProcessOutcome read = asSecondUser("cat", file.toString());
            assertNotEquals(secret + " read by uid " + SECOND_USER_UID + ": " + read, 0, read.exitStatus());
            assertTrue(read.toString(), read.output().contains("Permission denied"));
        }
        // the logs name the supervised programs and their denied syscalls' arguments
        Path log = karaf.home().resolve("data/log/karaf.log");
        assertTrue(log + " exists", Files.exists(log));
        ProcessOutcome readLog = asSecondUser("cat", log.toString());
        assertNotEquals(log + " read by uid " + SECOND_USER_UID + ": " + readLog, 0, readLog.exitStatus());
    }

    @Test
    public void ownerRunsSeccompCommandsWithBinClient() throws Exception {
        // as docs/karaf.md says: no user, no password (bin/client reads them from etc/users.properties)
        ProcessOutcome doctor = karaf.client("seccomp:doctor --no-format\n", "-b");
        assertEquals(doctor.toString(), 0, doctor.exitStatus());
        assertTrue(doctor.toString(), doctor.output().lines().anyMatch(line -> line.startsWith("USER_NOTIF")));
    }

    private static String password() throws IOException {
        String entry = load(karaf.etc("users.properties")).getProperty(USER);
        assertTrue("etc/users.properties has the user " + USER, entry != null);
        return entry.split(",", 2)[0].strip();
    }

    private static List<String> users(Properties properties) {
        return properties.stringPropertyNames().stream().filter(name -> !name.startsWith("_g_:")).sorted().collect(Collectors.toList());
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file)));
        return properties;
    }

    private static ProcessOutcome asSecondUser(String... command) throws Exception {
        List<String> asUser = new ArrayList<>(List.of("setpriv", "--reuid=" + SECOND_USER_UID,
                "--regid=" + SECOND_USER_UID, "--clear-groups", "--"));
        asUser.addAll(List.of(command));
        return ProcessOutcome.run(Path.of("/"), Map.of(), "", asUser);
    }
}
