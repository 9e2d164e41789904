package io.junction.provider.microsoft.internal.winrm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.ProviderException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class WsManTest {
    static final String TO = "https://vmm01.contoso.com:5986/wsman";

    private static Document doc(String xml) {
        return WsMan.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(Document d, String ns, String local) {
        return d.getElementsByTagNameNS(ns, local).item(0).getTextContent();
    }

    @Test
    void createEnvelope() {
        Document d = doc(WsMan.create(TO, Duration.ofSeconds(20)));
        assertEquals(WsMan.ACTION_CREATE, header(d, WsMan.NS_ADDRESSING, "Action"));
        assertEquals(TO, header(d, WsMan.NS_ADDRESSING, "To"));
        assertEquals(WsMan.RESOURCE_CMD, header(d, WsMan.NS_WSMAN, "ResourceURI"));
        assertEquals("PT20.000S", header(d, WsMan.NS_WSMAN, "OperationTimeout"));
        assertTrue(header(d, WsMan.NS_ADDRESSING, "MessageID").startsWith("uuid:"));
        assertEquals("stdout stderr", header(d, WsMan.NS_SHELL, "OutputStreams"));
        assertEquals(0, d.getElementsByTagNameNS(WsMan.NS_WSMAN, "SelectorSet").getLength());
    }

    @Test
    void commandEnvelopeEscapesItsText() {
        Document d = doc(WsMan.command(TO, "SHELL-<1>", "powershell -EncodedCommand a&b", Duration.ofSeconds(20)));
        assertEquals(WsMan.ACTION_COMMAND, header(d, WsMan.NS_ADDRESSING, "Action"));
        assertEquals("SHELL-<1>", header(d, WsMan.NS_WSMAN, "Selector"));
        assertEquals("powershell -EncodedCommand a&b", header(d, WsMan.NS_SHELL, "Command"));
    }

    @Test
    void receiveSignalDelete() {
        Document r = doc(WsMan.receive(TO, "S1", "C1", Duration.ofSeconds(20)));
        Element desired = (Element) r.getElementsByTagNameNS(WsMan.NS_SHELL, "DesiredStream").item(0);
        assertEquals("C1", desired.getAttribute("CommandId"));
        assertEquals("stdout stderr", desired.getTextContent());
        Document s = doc(WsMan.signalTerminate(TO, "S1", "C1", Duration.ofSeconds(20)));
        assertEquals(WsMan.SIGNAL_TERMINATE, header(s, WsMan.NS_SHELL, "Code"));
        Document del = doc(WsMan.delete(TO, "S1", Duration.ofSeconds(20)));
        assertEquals(WsMan.ACTION_DELETE, header(del, WsMan.NS_ADDRESSING, "Action"));
        assertEquals("S1", header(del, WsMan.NS_WSMAN, "Selector"));
    }

    @Test
    void createAnswer() {
        String answer = "<s:Envelope xml:lang=\"en-US\" xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
                + "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\" "
                + "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\">"
                + "<s:Header><a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse</a:Action></s:Header>"
                + "<s:Body><x:ResourceCreated><a:Address>https://vmm01:5986/wsman</a:Address><a:ReferenceParameters>"
                + "<w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI><w:SelectorSet>"
                + "<w:Selector Name=\"ShellId\">0F2E5C4B-1A3D-4E6F-8B9A-7C6D5E4F3A2B</w:Selector></w:SelectorSet></a:ReferenceParameters>"
                + "</x:ResourceCreated><rsp:Shell><rsp:ShellId>0F2E5C4B-1A3D-4E6F-8B9A-7C6D5E4F3A2B</rsp:ShellId></rsp:Shell></s:Body></s:Envelope>";
        assertEquals("0F2E5C4B-1A3D-4E6F-8B9A-7C6D5E4F3A2B", WsMan.shellId(doc(answer)));
        assertNull(WsMan.fault(doc(answer)));
    }

    @Test
    void receiveAnswerWithChunksAndExitCode() {
        String out1 = Base64.getEncoder().encodeToString("[{\"a\":".getBytes(StandardCharsets.UTF_8));
        String out2 = Base64.getEncoder().encodeToString("1}]".getBytes(StandardCharsets.UTF_8));
        String err = Base64.getEncoder().encodeToString("#< CLIXML".getBytes(StandardCharsets.UTF_8));
        String answer = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\">"
                + "<s:Body><rsp:ReceiveResponse>"
                + "<rsp:Stream Name=\"stdout\" CommandId=\"C1\">" + out1 + "</rsp:Stream>"
                + "<rsp:Stream Name=\"stdout\" CommandId=\"C1\">" + out2 + "</rsp:Stream>"
                + "<rsp:Stream Name=\"stderr\" CommandId=\"C1\">" + err + "</rsp:Stream>"
                + "<rsp:Stream Name=\"stdout\" CommandId=\"C1\" End=\"true\"></rsp:Stream>"
                + "<rsp:CommandState CommandId=\"C1\" State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done\">"
                + "<rsp:ExitCode>0</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse></s:Body></s:Envelope>";
        WsMan.Received r = WsMan.received(doc(answer), "C1");
        assertArrayEquals("[{\"a\":1}]".getBytes(StandardCharsets.UTF_8), r.stdout());
        assertArrayEquals("#< CLIXML".getBytes(StandardCharsets.UTF_8), r.stderr());
        assertTrue(r.done());
        assertEquals(0, r.exitCode());
    }

    @Test
    void runningCommandIsNotDone() {
        String answer = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\">"
                + "<s:Body><rsp:ReceiveResponse><rsp:Stream Name=\"stdout\" CommandId=\"C1\">eA==</rsp:Stream>"
                + "<rsp:CommandState CommandId=\"C1\" State=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running\"/>"
                + "</rsp:ReceiveResponse></s:Body></s:Envelope>";
        WsMan.Received r = WsMan.received(doc(answer), "C1");
        assertFalse(r.done());
        assertNull(r.exitCode());
        assertArrayEquals(new byte[]{'x'}, r.stdout());
    }

    static String fault(String subcode, String code, String message) {
        return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\">"
                + "<s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>" + subcode + "</s:Value></s:Subcode></s:Code>"
                + "<s:Reason><s:Text xml:lang=\"\">The WS-Management service cannot complete the operation.</s:Text></s:Reason>"
                + "<s:Detail><f:WSManFault xmlns:f=\"http://schemas.microsoft.com/wbem/wsmanfault\" Code=\"" + code + "\" Machine=\"vmm01\">"
                + "<f:Message>" + message + "</f:Message></f:WSManFault></s:Detail></s:Fault></s:Body></s:Envelope>";
    }

    @Test
    void timedOutFault() {
        WsMan.Fault f = WsMan.fault(doc(fault("w:TimedOut", "2150858793",
                "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ")));
        assertNotNull(f);
        assertTrue(f.timedOut());
        assertEquals("The WS-Management service cannot complete the operation within the time specified in OperationTimeout.", f.text());
    }

    @Test
    void otherFault() {
        WsMan.Fault f = WsMan.fault(doc(fault("w:InvalidSelectors", "2150858843",
                "The request for the Windows Remote Shell with ShellId X failed because the shell was not found on the server.")));
        assertFalse(f.timedOut());
        assertTrue(f.text().contains("shell was not found"));
    }

    @Test
    void malformedAnswersAndDoctypesAreRefused() {
        assertThrows(ProviderException.class, () -> doc("<not xml"));
        assertThrows(ProviderException.class, () -> doc("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));
    }

    @Test
    void userNamesSplitForNtlm() {
        var domain = WinRmClient.ntCredentials("CONTOSO\\svc-junction", "pw".toCharArray());
        assertEquals("CONTOSO", domain.getDomain());
        assertEquals("svc-junction", domain.getUserName());
        var upn = WinRmClient.ntCredentials("svc-junction@contoso.com", "pw".toCharArray());
        assertNull(upn.getDomain());
        assertEquals("svc-junction@contoso.com", upn.getUserName());
    }
}
