package org.attenuator.shell.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * Copies a launched program's output to the console on its own thread, so the command's thread
 * stays free to wait for the program (and to be interrupted).
 */
public final class OutputPump {

    private OutputPump() {
    }

    public static Thread start(InputStream from, PrintStream to) {
        Thread pump = new Thread(() -> {
            try (from) {
                from.transferTo(to);
            } catch (IOException e) {
                // The program was killed or its pipe closed: nothing more to show.
            } finally {
                to.flush();
            }
        }, "seccomp-output");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }
}
