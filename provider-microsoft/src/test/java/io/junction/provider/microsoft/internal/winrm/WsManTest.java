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

    /**
     * A fault in the shape Windows Server answers with: WS-Addressing fault action, the SOAP reason
     * (often generic), and the detail {@code f:WSManFault} in Windows' own namespace with its code
     * and the specific {@code f:Message}.
     */
    static String fault(String subcode, String code, String reason, String message) {
        return "<s:Envelope xml:lang=\"en-US\" xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
                + " xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\""
                + " xmlns:e=\"http://schemas.xmlsoap.org/ws/2004/08/eventing\""
                + " xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\""
                + " xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\""
                + " xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\">"
                + "<s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</a:Action>"
                + "<a:MessageID>uuid:7B1C2F4E-0D3A-4C55-9E0B-1F2A3B4C5D6E</a:MessageID>"
                + "<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>"
                + "<a:RelatesTo>uuid:0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9</a:RelatesTo></s:Header>"
                + "<s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>" + subcode + "</s:Value></s:Subcode></s:Code>"
                + "<s:Reason><s:Text xml:lang=\"en-US\">" + reason + "</s:Text></s:Reason>"
                + "<s:Detail><f:WSManFault xmlns:f=\"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault\" Code=\"" + code
                + "\" Machine=\"vmm01.contoso.com\"><f:Message>" + message + "</f:Message></f:WSManFault></s:Detail>"
                + "</s:Fault></s:Body></s:Envelope>";
    }

    @Test
    void timedOutFault() {
        String text = "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ";
        WsMan.Fault f = WsMan.fault(doc(fault("w:TimedOut", "2150858793", text, text)));
        assertNotNull(f);
        assertTrue(f.timedOut());
        assertEquals("2150858793", f.wsmanCode());
        assertEquals("The WS-Management service cannot complete the operation within the time specified in OperationTimeout.", f.text());
    }

    @Test
    void windowsFaultDetailIsReadOverTheGenericReason() {
        WsMan.Fault f = WsMan.fault(doc(fault("w:InvalidSelectors", "2150858843",
                "The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ",
                "The request for the Windows Remote Shell with ShellId 1F2E3D4C failed because the shell was not found on the server. ")));
        assertFalse(f.timedOut());
        assertEquals("w:InvalidSelectors", f.subcode());
        assertEquals("2150858843", f.wsmanCode());
        assertEquals("The request for the Windows Remote Shell with ShellId 1F2E3D4C failed because the shell was not found on the server.",
                f.text());
    }

    @Test
    void shellQuotaFaultKeepsWindowsMessage() {
        WsMan.Fault f = WsMan.fault(doc(fault("w:QuotaLimit", "2150859173", "The parameter is incorrect. ",
                "The WS-Management service cannot process the request. This user is allowed a maximum number of 5 concurrent shells,"
                        + " which has been exceeded. Close existing shells or raise the quota for this user. ")));
        assertEquals("2150859173", f.wsmanCode());
        assertTrue(f.text().contains("maximum number of 5 concurrent shells"), f.text());
    }

    @Test
    void providerFaultInsideTheMessageIsItsText() {
        WsMan.Fault f = WsMan.fault(doc(fault("w:AccessDenied", "5", "Access is denied. ",
                "<f:ProviderFault provider=\"Shell cmd plugin\" path=\"%systemroot%\\system32\\winrscmd.dll\">"
                        + "The user CONTOSO\\svc is not allowed to create a shell on this computer. </f:ProviderFault>")));
        assertEquals("5", f.wsmanCode());
        assertEquals("The user CONTOSO\\svc is not allowed to create a shell on this computer.", f.text());
    }

    @Test
    void faultWithoutDetailFallsBackToTheReason() {
        String answer = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><s:Fault><s:Code>"
                + "<s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang=\"en-US\">Bad request </s:Text></s:Reason>"
                + "</s:Fault></s:Body></s:Envelope>";
        WsMan.Fault f = WsMan.fault(doc(answer));
        assertNull(f.wsmanCode());
        assertEquals("Bad request", f.text());
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
