package io.junction.provider.microsoft.internal.winrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.ProviderException;
import io.junction.api.UnreachableException;
import io.junction.provider.microsoft.internal.powershell.JsonItems;
import io.junction.provider.microsoft.internal.powershell.PowerShell;
import io.junction.provider.microsoft.internal.powershell.PowerShellScript;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The shell's command cycle against scripted WS-Management answers (no network). */
class WinRmShellTest {
    static final WinRmTarget TARGET = new WinRmTarget("vmm01.contoso.com", 5986, true, "", true, null,
            Duration.ofSeconds(5), Duration.ofSeconds(5), false);
    static final String ENVELOPE = "<s:Envelope xmlns:s=\"" + WsMan.NS_SOAP + "\" xmlns:rsp=\"" + WsMan.NS_SHELL + "\"><s:Body>%s</s:Body></s:Envelope>";

    /** Answers Create, Command, Signal and Delete, and Receive from a queue (null: TimedOut). */
    static final class Scripted implements WinRmShell.Exchange {
        final List<String> actions = new ArrayList<>();
        final Deque<Supplier<String>> receives = new ArrayDeque<>();

        @Override
        public Document post(String envelope, boolean timeoutIsEmpty) {
            Document request = WsMan.parse(envelope.getBytes(StandardCharsets.UTF_8));
            String action = request.getElementsByTagNameNS(WsMan.NS_ADDRESSING, "Action").item(0).getTextContent();
            actions.add(action.substring(action.lastIndexOf('/') + 1));
            String body = switch (action) {
                case WsMan.ACTION_CREATE -> "<rsp:Shell><rsp:ShellId>S1</rsp:ShellId></rsp:Shell>";
                case WsMan.ACTION_COMMAND -> "<rsp:CommandResponse><rsp:CommandId>C1</rsp:CommandId></rsp:CommandResponse>";
                case WsMan.ACTION_RECEIVE -> {
                    assertTrue(timeoutIsEmpty);
                    String next = receives.isEmpty() ? null : receives.poll().get();
                    if (next == null) {
                        yield null;
                    }
                    yield next;
                }
                default -> "";
            };
            return body == null ? null : WsMan.parse(String.format(ENVELOPE, body).getBytes(StandardCharsets.UTF_8));
        }
    }

    static Supplier<String> out(String stdout, String stderr, Integer exit) {
        return () -> {
            StringBuilder b = new StringBuilder("<rsp:ReceiveResponse>");
            if (stdout != null) {
                b.append("<rsp:Stream Name=\"stdout\" CommandId=\"C1\">")
                        .append(Base64.getEncoder().encodeToString(stdout.getBytes(StandardCharsets.UTF_8))).append("</rsp:Stream>");
            }
            if (stderr != null) {
                b.append("<rsp:Stream Name=\"stderr\" CommandId=\"C1\">")
                        .append(Base64.getEncoder().encodeToString(stderr.getBytes(StandardCharsets.UTF_8))).append("</rsp:Stream>");
            }
            String state = exit == null ? WsMan.NS_SHELL + "/CommandState/Running" : WsMan.STATE_DONE;
            b.append("<rsp:CommandState CommandId=\"C1\" State=\"").append(state).append("\">");
            if (exit != null) {
                b.append("<rsp:ExitCode>").append(exit).append("</rsp:ExitCode>");
            }
            return b.append("</rsp:CommandState></rsp:ReceiveResponse>").toString();
        };
    }

    static final Supplier<String> TIMED_OUT = () -> null;

    @Test
    void outputSplitAcrossReceivesAndTimeoutsIsParsedAsOneStream() {
        Scripted server = new Scripted();
        server.receives.add(TIMED_OUT);
        server.receives.add(out("[{\"Name\":\"a\"},{\"Na", null, null));
        server.receives.add(TIMED_OUT);
        server.receives.add(out("me\":\"b\"}]\r\n", null, 0));
        List<String> names = new ArrayList<>();
        try (WinRmShell shell = new WinRmShell(server, TARGET)) {
            PowerShell.run(shell, PowerShellScript.of("Get-X"), Duration.ofSeconds(5),
                    in -> JsonItems.forEach(in, o -> names.add(o.string("Name"))));
        }
        assertEquals(List.of("a", "b"), names);
        assertEquals(List.of("Create", "Command", "Receive", "Receive", "Receive", "Receive", "Signal", "Delete"), server.actions);
    }

    @Test
    void powerShellErrorsBecomeOneLine() {
        Scripted server = new Scripted();
        server.receives.add(out(null, "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                + "<S S=\"Error\">Get-SCVMHost : You cannot access this object. (Error ID: 1605)_x000D__x000A_</S>"
                + "<S S=\"Error\">At line:1 char:1_x000D__x000A_</S></Objs>", 1));
        try (WinRmShell shell = new WinRmShell(server, TARGET)) {
            ProviderException e = assertThrows(ProviderException.class, () -> PowerShell.run(shell, PowerShellScript.of("Get-X"),
                    Duration.ofSeconds(5), in -> JsonItems.forEach(in, o -> { })));
            assertEquals("Get-SCVMHost : You cannot access this object. (Error ID: 1605)", e.getMessage());
        }
        assertEquals("Delete", server.actions.get(server.actions.size() - 1));
    }

    @Test
    void malformedOutputIsAProviderError() {
        Scripted server = new Scripted();
        server.receives.add(out("[{\"Name\":", null, 0));
        try (WinRmShell shell = new WinRmShell(server, TARGET)) {
            ProviderException e = assertThrows(ProviderException.class, () -> PowerShell.run(shell, PowerShellScript.of("Get-X"),
                    Duration.ofSeconds(5), in -> JsonItems.forEach(in, o -> { })));
            assertTrue(e.getMessage().startsWith("unreadable PowerShell output"), e.getMessage());
        }
    }

    @Test
    void aCommandWithoutOutputIsAbandonedAndTheShellStillDeleted() {
        Scripted server = new Scripted();
        for (int i = 0; i < 1000; i++) {
            server.receives.add(() -> {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
        }
        try (WinRmShell shell = new WinRmShell(server, TARGET)) {
            ProviderException e = assertThrows(ProviderException.class, () -> shell.run("powershell", Duration.ofMillis(50),
                    in -> in.readAllBytes()));
            assertTrue(e.getMessage().contains("gave no output"), e.getMessage());
        }
        assertEquals(List.of("Signal", "Delete"), server.actions.subList(server.actions.size() - 2, server.actions.size()));
    }

    @Test
    void transportFailuresEndTheCommandAndTheShellIsStillDeleted() {
        Scripted server = new Scripted();
        server.receives.add(() -> {
            throw new UnreachableException("WinRM at vmm01.contoso.com:5986 closed the connection without answering");
        });
        try (WinRmShell shell = new WinRmShell(server, TARGET)) {
            assertThrows(UnreachableException.class, () -> shell.run("powershell", Duration.ofSeconds(5), in -> in.readAllBytes()));
        }
        assertEquals(List.of("Create", "Command", "Receive", "Signal", "Delete"), server.actions);
    }

    @Test
    void stderrWithoutErrorIsNotAFailure() {
        Scripted server = new Scripted();
        server.receives.add(out("{\"Name\":\"x\"}", "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                + "<Obj S=\"progress\" RefId=\"0\"><MS><I64 N=\"SourceId\">1</I64></MS></Obj></Objs>", 0));
        try (WinRmShell shell = new WinRmShell(server, TARGET)) {
            WinRmShell.Outcome<byte[]> o = shell.run("powershell", Duration.ofSeconds(5), in -> in.readAllBytes());
            assertEquals(0, o.exitCode());
            assertNull(o.readerFailure());
            assertEquals("{\"Name\":\"x\"}", new String(o.value(), StandardCharsets.UTF_8));
        }
    }
}
