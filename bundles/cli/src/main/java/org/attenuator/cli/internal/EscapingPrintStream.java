package org.attenuator.cli.internal;

import java.io.PrintStream;
import java.util.Locale;
import org.attenuator.launcher.Printable;

/**
 * The command line's stderr: every text printed is passed through {@link Printable}
 * before it reaches the real stream, so no error or progress line can carry a terminal escape
 * sequence from its input, whichever command wrote it. Bytes written as bytes pass unchanged.
 */
final class EscapingPrintStream extends PrintStream {

    private final PrintStream target;

    EscapingPrintStream(PrintStream target) {
        super(target, true);
        this.target = target;
    }

    @Override
    public void print(String s) {
        target.print(Printable.of(String.valueOf(s)));
    }

    @Override
    public void print(Object o) {
        print(String.valueOf(o));
    }

    @Override
    public void print(char c) {
        print(String.valueOf(c));
    }

    @Override
    public void print(char[] s) {
        print(new String(s));
    }

    @Override
    public void println(String s) {
        target.println(Printable.of(String.valueOf(s)));
    }

    @Override
    public void println(Object o) {
        println(String.valueOf(o));
    }

    @Override
    public void println(char[] s) {
        println(new String(s));
    }

    @Override
    public void println(char c) {
        println(String.valueOf(c));
    }

    @Override
    public PrintStream format(String format, Object... args) {
        print(String.format(format, args));
        return this;
    }

    @Override
    public PrintStream format(Locale locale, String format, Object... args) {
        print(String.format(locale, format, args));
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq) {
        print(String.valueOf(csq));
        return this;
    }

    @Override
    public void flush() {
        target.flush();
    }
}
