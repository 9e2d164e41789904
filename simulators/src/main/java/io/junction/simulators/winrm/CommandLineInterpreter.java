package io.junction.simulators.winrm;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * What cmd.exe does with a WinRM command line: {@code powershell[.exe]} with
 * {@code -NoProfile}, {@code -NonInteractive}, {@code -NoLogo}, {@code -ExecutionPolicy <p>} and
 * finally {@code -EncodedCommand <base64 of UTF-16LE>} runs the script; anything else is not a
 * command here.
 */
final class CommandLineInterpreter implements WsmanEndpoint.Interpreter {
    /** powershell.exe's exit code when its own arguments are wrong (0xFFFD0000). */
    static final int BAD_ARGUMENTS_EXIT = -196608;
    private static final Set<String> ENCODED = Set.of("-encodedcommand", "-enc", "-e", "-ec");

    private final PsHost host;
    private final Duration latency;

    CommandLineInterpreter(PsHost host, Duration latency) {
        this.host = host;
        this.latency = latency;
    }

    @Override
    public String start(String commandLine, Charset codepage, CommandRun run, ExecutorService executor) {
        String[] argv = commandLine.trim().split("\\s+");
        String exe = argv[0].replace("\"", "");
        String program = exe.toLowerCase(Locale.ROOT);
        if (!program.equals("powershell") && !program.equals("powershell.exe")) {
            finish(run, codepage, "", "'" + exe + "' is not recognized as an internal or external command,\r\n"
                    + "operable program or batch file.\r\n", 1);
            return null;
        }
        String encoded = null;
        for (int i = 1; i < argv.length; i++) {
            String arg = argv[i].toLowerCase(Locale.ROOT);
            if (Set.of("-noprofile", "-noninteractive", "-nologo").contains(arg)) {
                continue;
            }
            if (arg.equals("-executionpolicy") && i + 1 < argv.length) {
                i++;
                continue;
            }
            if (ENCODED.contains(arg) && i == argv.length - 2) {
                encoded = argv[i + 1];
                break;
            }
            finish(run, codepage, "", "The simulator's powershell.exe accepts -NoProfile, -NonInteractive, -NoLogo,"
                    + " -ExecutionPolicy <policy> and, last, -EncodedCommand <base64>; it got '" + argv[i] + "'.\r\n",
                    BAD_ARGUMENTS_EXIT);
            return null;
        }
        if (encoded == null) {
            finish(run, codepage, "", "powershell.exe needs -EncodedCommand <base64> here.\r\n", BAD_ARGUMENTS_EXIT);
            return null;
        }
        String script;
        try {
            byte[] bytes = Base64.getDecoder().decode(encoded);
            script = StandardCharsets.UTF_16LE.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            finish(run, codepage, "", "Cannot process the command because the value specified with -EncodedCommand is not"
                    + " properly encoded. The value must be Base64 encoded.\r\n", BAD_ARGUMENTS_EXIT);
            return null;
        }
        String body = script.startsWith("\uFEFF") ? script.substring(1) : script;
        executor.execute(() -> {
            int code;
            try {
                if (run.sleep(latency.toNanos())) {
                    return;
                }
                Writer out = new BufferedWriter(new OutputStreamWriter(run.stdout(), codepage), 16 * 1024);
                Writer err = new BufferedWriter(new OutputStreamWriter(run.stderr(), codepage));
                code = host.run(body, out, err);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (run.terminated()) {
                    return;
                }
                code = 1;
            }
            run.finish(code);
        });
        return script;
    }

    private static void finish(CommandRun run, Charset codepage, String out, String err, int code) {
        try {
            run.stdout().write(out.getBytes(codepage));
            run.stderr().write(err.getBytes(codepage));
        } catch (IOException e) {
            // terminated before it began: nothing to report
        }
        run.finish(code);
    }
}
