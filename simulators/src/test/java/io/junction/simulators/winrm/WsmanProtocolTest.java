package io.junction.simulators.winrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

class WsmanProtocolTest {
    @TempDir
    static Path dir;
    static WinRmSimulator simulator;
    static WsmanTestClient client;

    @BeforeAll
    static void start() {
        simulator = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa").caOut(dir.resolve("ca.pem")));
        client = new WsmanTestClient(simulator.url(), simulator.identity().clientContext(), "A", "pa");
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    @Test
    void caPemIsWrittenForTheCaller() throws Exception {
        String pem = Files.readString(simulator.caPem());
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"), pem);
        assertEquals("CN=localhost", simulator.identity().serverCertificate().getSubjectX500Principal().getName());
    }

    @Test
    void createCommandReceiveDeleteRoundTrip() throws Exception {
        WsmanTestClient.Reply created = client.send(WsmanEndpoint.CREATE, null, "",
                "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>");
        assertEquals(200, created.status(), created.body());
        assertEquals("application/soap+xml;charset=UTF-8", created.response().headers().firstValue("Content-Type").orElseThrow());
        assertEquals("http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse",
                created.first("http://schemas.xmlsoap.org/ws/2004/08/addressing", "Action"));
        assertEquals(client.lastMessageId, created.first("http://schemas.xmlsoap.org/ws/2004/08/addressing", "RelatesTo"));
        String shell = created.first(WsmanEndpoint.SHELL, "ShellId");
        Element selector = created.element(WsmanEndpoint.WSMAN, "Selector");
        assertEquals("ShellId", selector.getAttribute("Name"));
        assertEquals(shell, selector.getTextContent());

        String script = "$ProgressPreference = 'SilentlyContinue'\nImport-Module VirtualMachineManager\n"
                + "Get-SCVMMServer -ComputerName localhost | ConvertTo-Json -Compress -Depth 2";
        WsmanTestClient.Reply command = client.command(shell, "powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand",
                WsmanTestClient.encode(script));
        assertEquals(200, command.status(), command.body());
        String commandId = command.first(WsmanEndpoint.SHELL, "CommandId");
        assertNotNull(commandId);

        WsmanTestClient.Output out = client.receiveAll(shell, commandId, java.nio.charset.Charset.forName("IBM437"));
        assertEquals(0, out.exitCode(), out.stderr());
        assertTrue(out.stdout().startsWith("{\"Name\":\"vmm01.junction.test\""), out.stdout());
        assertTrue(out.stdout().endsWith("}\r\n"));
        assertEquals("", out.stderr());

        assertEquals(200, client.signalTerminate(shell, commandId).status());
        WsmanTestClient.Reply deleted = client.delete(shell);
        assertEquals(200, deleted.status(), deleted.body());
        assertEquals("http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse",
                deleted.first("http://schemas.xmlsoap.org/ws/2004/08/addressing", "Action"));

        ReceivedCommand journal = simulator.commands().stream().filter(c -> c.commandId().equals(commandId)).findFirst().orElseThrow();
        assertEquals(script, journal.script());
        assertEquals("A", journal.user());
    }

    @Test
    void unknownShellIdIsAnInvalidSelectorsFault() throws Exception {
        WsmanTestClient.Reply r = client.receive("00000000-0000-0000-0000-000000000000", "X");
        assertEquals(500, r.status());
        assertEquals("w:InvalidSelectors", subcode(r));
        assertEquals("2150858843", r.element("http://schemas.microsoft.com/wbem/wsman/1/wsmanfault", "WSManFault").getAttribute("Code"));
        assertEquals(client.lastMessageId, r.first("http://schemas.xmlsoap.org/ws/2004/08/addressing", "RelatesTo"));
        assertEquals(500, client.delete("00000000-0000-0000-0000-000000000000").status());
    }

    @Test
    void unknownCommandIdIsAFault() throws Exception {
        String shell = client.createShell("65001");
        WsmanTestClient.Reply r = client.receive(shell, "11111111-2222-3333-4444-555555555555");
        assertEquals(500, r.status());
        assertEquals("w:InvalidParameter", subcode(r));
        assertTrue(r.body().contains("command identifier"), r.body());
        client.delete(shell);
    }

    @Test
    void prefixedCommandIdIsAcceptedForReceiveAndSignal() throws Exception {
        // Windows accepts rsp:CommandId as well as CommandId; some WinRM clients send the prefixed form.
        String shell = client.createShell("65001");
        String script = "$ProgressPreference = 'SilentlyContinue'\nImport-Module VirtualMachineManager\n"
                + "Get-SCVMMServer -ComputerName localhost | ConvertTo-Json -Compress -Depth 1";
        String id = client.command(shell, "powershell", "-NoProfile", "-EncodedCommand", WsmanTestClient.encode(script))
                .first(WsmanEndpoint.SHELL, "CommandId");
        StringBuilder stdout = new StringBuilder();
        for (boolean done = false; !done; ) {
            WsmanTestClient.Reply r = client.send(WsmanEndpoint.RECEIVE, shell, "",
                    "<rsp:Receive><rsp:DesiredStream rsp:CommandId=\"" + id + "\">stdout stderr</rsp:DesiredStream></rsp:Receive>");
            assertEquals(200, r.status(), r.body());
            org.w3c.dom.NodeList streams = r.xml().getElementsByTagNameNS(WsmanEndpoint.SHELL, "Stream");
            for (int i = 0; i < streams.getLength(); i++) {
                Element stream = (Element) streams.item(i);
                if (stream.getAttribute("Name").equals("stdout")) {
                    stdout.append(new String(java.util.Base64.getDecoder().decode(stream.getTextContent().trim()), StandardCharsets.UTF_8));
                }
            }
            done = r.element(WsmanEndpoint.SHELL, "CommandState").getAttribute("State").endsWith("/Done");
        }
        assertTrue(stdout.toString().startsWith("{\"Name\":\"vmm01.junction.test\""), stdout.toString());
        WsmanTestClient.Reply signal = client.send(WsmanEndpoint.SIGNAL, shell, "", "<rsp:Signal rsp:CommandId=\"" + id
                + "\"><rsp:Code>" + WsmanEndpoint.SIGNAL_TERMINATE + "</rsp:Code></rsp:Signal>");
        assertEquals(200, signal.status(), signal.body());
        assertEquals(500, client.receive(shell, id).status(), "the signalled command is gone");
        assertEquals(200, client.delete(shell).status());
    }

    @Test
    void anyXsDurationIsAnOperationTimeout() throws Exception {
        try (WinRmSimulator slow = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa").latency(java.time.Duration.ofMinutes(5)))) {
            WsmanTestClient c = new WsmanTestClient(slow.url(), slow.identity().clientContext(), "A", "pa");
            String shell = c.createShell("65001");
            String id = c.command(shell, "powershell", "-EncodedCommand", WsmanTestClient.encode("Get-SCVMHost | Out-Null"))
                    .first(WsmanEndpoint.SHELL, "CommandId");
            for (String timeout : List.of("P0Y0M0DT0H0M0.300S", "PT0.3S")) {
                WsmanTestClient.Reply r = c.post(WsmanTestClient.envelope(WsmanEndpoint.RECEIVE, "uuid:10", shell, "",
                        "<rsp:Receive><rsp:DesiredStream CommandId=\"" + id + "\">stdout stderr</rsp:DesiredStream></rsp:Receive>")
                        .replace("PT20S", timeout));
                assertEquals("w:TimedOut", subcode(r), timeout + ": " + r.body());
            }
            WsmanTestClient.Reply bad = c.post(WsmanTestClient.envelope(WsmanEndpoint.RECEIVE, "uuid:11", shell, "",
                    "<rsp:Receive><rsp:DesiredStream CommandId=\"" + id + "\">stdout stderr</rsp:DesiredStream></rsp:Receive>")
                    .replace("PT20S", "20 seconds"));
            assertEquals("w:InvalidParameter", subcode(bad), bad.body());
            assertEquals(200, c.delete(shell).status());
        }
    }

    @Test
    void contentTypeWithAnActionParameterIsAccepted() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(simulator.identity().clientContext()).version(HttpClient.Version.HTTP_1_1).build();
        String body = WsmanTestClient.envelope(WsmanEndpoint.CREATE, "uuid:12", null, "",
                "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(simulator.url())
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("A:pa".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/soap+xml; charset=utf-8; action=\"" + WsmanEndpoint.CREATE + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void malformedEnvelopesAreFaults() throws Exception {
        WsmanTestClient.Reply notXml = client.post("this is <not xml");
        assertEquals(500, notXml.status());
        assertEquals("s:Sender", notXml.first(WsmanEndpoint.SOAP, "Value"));

        WsmanTestClient.Reply noAction = client.post(WsmanTestClient.envelope(null, "uuid:1", null, "", ""));
        assertEquals(500, noAction.status());
        assertEquals("a:MessageInformationHeaderRequired", subcode(noAction));

        String wrongResource = WsmanTestClient.envelope(WsmanEndpoint.CREATE, "uuid:2", null, "", "<rsp:Shell/>")
                .replace(WsmanEndpoint.CMD_RESOURCE, "http://schemas.microsoft.com/powershell/Microsoft.PowerShell");
        WsmanTestClient.Reply r = client.post(wrongResource);
        assertEquals(500, r.status());
        assertEquals("w:DestinationUnreachable", subcode(r));

        WsmanTestClient.Reply unknownAction = client.send("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get", null, "", "");
        assertEquals("a:ActionNotSupported", subcode(unknownAction));

        String soap11 = WsmanTestClient.envelope(WsmanEndpoint.CREATE, "uuid:3", null, "", "<rsp:Shell/>")
                .replace(WsmanEndpoint.SOAP, "http://schemas.xmlsoap.org/soap/envelope/");
        WsmanTestClient.Reply v11 = client.post(soap11);
        assertEquals(500, v11.status());
        assertTrue(v11.body().contains("s:VersionMismatch"), v11.body());
    }

    @Test
    void wrongPasswordOrNoCredentialsGet401WithTheSchemesOffered() throws Exception {
        WsmanTestClient wrong = new WsmanTestClient(simulator.url(), simulator.identity().clientContext(), "A", "nope");
        WsmanTestClient.Reply r = wrong.send(WsmanEndpoint.CREATE, null, "", "<rsp:Shell/>");
        assertEquals(401, r.status());
        List<String> offered = r.response().headers().allValues("WWW-Authenticate");
        assertTrue(offered.contains("Negotiate"), offered.toString());
        assertTrue(offered.contains("NTLM"), offered.toString());
        assertTrue(offered.contains("Basic realm=\"WSMAN\""), offered.toString());

        HttpClient http = HttpClient.newBuilder().sslContext(simulator.identity().clientContext()).build();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(simulator.url()).header("Content-Type", "application/soap+xml;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("<x/>")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertFalse(simulator.authentications().stream().anyMatch(a -> !a.user().equals("A")));
    }

    @Test
    void basicCanBeSwitchedOff() throws Exception {
        try (WinRmSimulator strict = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa").basicAllowed(false))) {
            WsmanTestClient basic = new WsmanTestClient(strict.url(), strict.identity().clientContext(), "A", "pa");
            WsmanTestClient.Reply r = basic.send(WsmanEndpoint.CREATE, null, "", "<rsp:Shell/>");
            assertEquals(401, r.status());
            assertFalse(r.response().headers().allValues("WWW-Authenticate").contains("Basic realm=\"WSMAN\""));
        }
    }

    @Test
    void plainHttpListenerWithBasicOnly() throws Exception {
        try (WinRmSimulator plain = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa").plainHttp(true).ntlmAllowed(false))) {
            assertEquals("http", plain.url().getScheme());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(plain.url())
                    .header("Content-Type", "application/soap+xml;charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString("<x/>")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            assertEquals(List.of("Basic realm=\"WSMAN\""), anonymous.headers().allValues("WWW-Authenticate"));
            assertEquals(List.of(), plain.authorizationSchemes(), "no Authorization header was sent");

            WsmanTestClient basic = new WsmanTestClient(plain.url(), simulator.identity().clientContext(), "A", "pa");
            String shell = basic.createShell("65001");
            assertEquals(200, basic.delete(shell).status());
            assertEquals(List.of("Basic", "Basic"), plain.authorizationSchemes());

            HttpResponse<String> ntlm = http.send(HttpRequest.newBuilder(plain.url())
                    .header("Content-Type", "application/soap+xml;charset=UTF-8").header("Authorization", "NTLM TlRMTVNTUAABAAAAB4IIog==")
                    .POST(HttpRequest.BodyPublishers.ofString("<x/>")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, ntlm.statusCode(), "NTLM is neither offered nor accepted");
            assertFalse(ntlm.headers().allValues("WWW-Authenticate").stream().anyMatch(h -> h.startsWith("NTLM")));
        }
    }

    @Test
    void commandLinesLongerThan8191CharactersAreRefused() throws Exception {
        String shell = client.createShell("65001");
        String prefix = "powershell -EncodedCommand ";
        String atLimit = "A".repeat(8191 - prefix.length());
        WsmanTestClient.Reply ok = client.command(shell, "powershell", "-EncodedCommand", atLimit);
        assertEquals(200, ok.status(), ok.body());
        WsmanTestClient.Reply tooLong = client.command(shell, "powershell", "-EncodedCommand", atLimit + "A");
        assertEquals(500, tooLong.status());
        assertTrue(tooLong.body().contains("The command line is too long"), tooLong.body());
        client.delete(shell);
    }

    @Test
    void otherProgramsAreNotCommandsAndBadBase64IsRefused() throws Exception {
        String shell = client.createShell("437");
        WsmanTestClient.Reply c = client.command(shell, "ipconfig", "/all");
        WsmanTestClient.Output out = client.receiveAll(shell, c.first(WsmanEndpoint.SHELL, "CommandId"), StandardCharsets.US_ASCII);
        assertEquals(1, out.exitCode());
        assertTrue(out.stderr().startsWith("'ipconfig' is not recognized"), out.stderr());

        c = client.command(shell, "powershell", "-NoProfile", "-EncodedCommand", "@@@");
        out = client.receiveAll(shell, c.first(WsmanEndpoint.SHELL, "CommandId"), StandardCharsets.US_ASCII);
        assertEquals(CommandLineInterpreter.BAD_ARGUMENTS_EXIT, out.exitCode());
        assertTrue(out.stderr().contains("not properly encoded"), out.stderr());
        client.delete(shell);
    }

    @Test
    void receiveAnswersTimedOutWhileTheCommandIsSilent() throws Exception {
        try (WinRmSimulator slow = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa").latency(java.time.Duration.ofMinutes(5)))) {
            WsmanTestClient c = new WsmanTestClient(slow.url(), slow.identity().clientContext(), "A", "pa");
            String shell = c.createShell("65001");
            String id = c.command(shell, "powershell", "-EncodedCommand", WsmanTestClient.encode("Get-SCVMHost | Out-Null"))
                    .first(WsmanEndpoint.SHELL, "CommandId");
            // the command stays silent for minutes; Receive gives up after its OperationTimeout
            WsmanTestClient.Reply r = c.post(WsmanTestClient.envelope(WsmanEndpoint.RECEIVE, "uuid:9", shell, "",
                    "<rsp:Receive><rsp:DesiredStream CommandId=\"" + id + "\">stdout stderr</rsp:DesiredStream></rsp:Receive>")
                    .replace("PT20S", "PT0.300S"));
            assertEquals(500, r.status());
            assertEquals("w:TimedOut", subcode(r));
            assertEquals("s:Receiver", r.first(WsmanEndpoint.SOAP, "Value"));
            assertEquals(200, c.signalTerminate(shell, id).status());
            assertEquals(500, c.receive(shell, id).status(), "a terminated command is gone");
            assertEquals(200, c.delete(shell).status());
        }
    }

    @Test
    void commandRunTimesOutWhenThereIsNoOutputYet() throws Exception {
        CommandRun run = new CommandRun("X");
        assertNull(run.take(1000, System.nanoTime()));
        run.stdout().write("hi".getBytes(StandardCharsets.US_ASCII));
        CommandRun.Chunk chunk = run.take(1000, System.nanoTime());
        assertEquals("hi", new String(chunk.stdout(), StandardCharsets.US_ASCII));
        assertNull(chunk.exitCode());
        run.finish(0);
        assertEquals(0, run.take(1000, System.nanoTime()).exitCode());
    }

    private static String subcode(WsmanTestClient.Reply r) {
        Element sub = r.element(WsmanEndpoint.SOAP, "Subcode");
        return sub == null ? null : sub.getTextContent().trim();
    }
}
