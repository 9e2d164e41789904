package io.junction.provider.microsoft.internal.winrm;

import io.junction.api.ProviderException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The WS-Management messages of a remote shell (Create, Command, Receive, Signal, Delete) as
 * SOAP 1.2 envelopes, and the parts of the answers the client needs.
 */
public final class WsMan {
    public static final String NS_SOAP = "http://www.w3.org/2003/05/soap-envelope";
    public static final String NS_ADDRESSING = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    public static final String NS_WSMAN = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    public static final String NS_WSMAN_MS = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd";
    public static final String NS_SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
    /** Where Windows puts {@code f:WSManFault}, the detail of every WS-Management fault. */
    public static final String NS_FAULT = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";

    public static final String RESOURCE_CMD = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";
    public static final String ACTION_CREATE = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create";
    public static final String ACTION_DELETE = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete";
    public static final String ACTION_COMMAND = NS_SHELL + "/Command";
    public static final String ACTION_RECEIVE = NS_SHELL + "/Receive";
    public static final String ACTION_SIGNAL = NS_SHELL + "/Signal";
    public static final String SIGNAL_TERMINATE = NS_SHELL + "/signal/terminate";
    public static final String STATE_DONE = NS_SHELL + "/CommandState/Done";
    private static final String ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";
    /** WS-Management's code for "the operation timed out" on Receive: no output yet. */
    private static final String TIMED_OUT_CODE = "2150858793";

    /** The largest envelope the server may answer with; it splits output into chunks that fit. */
    static final int MAX_ENVELOPE_SIZE = 153_600;

    private WsMan() {
    }

    public static String create(String to, Duration operationTimeout) {
        return envelope(to, ACTION_CREATE, null, operationTimeout,
                "<w:OptionSet><w:Option Name=\"WINRS_NOPROFILE\">TRUE</w:Option>"
                        + "<w:Option Name=\"WINRS_CODEPAGE\">65001</w:Option></w:OptionSet>",
                "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams>"
                        + "<rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>");
    }

    public static String command(String to, String shellId, String commandLine, Duration operationTimeout) {
        return envelope(to, ACTION_COMMAND, shellId, operationTimeout,
                "<w:OptionSet><w:Option Name=\"WINRS_CONSOLEMODE_STDIN\">TRUE</w:Option>"
                        + "<w:Option Name=\"WINRS_SKIP_CMD_SHELL\">TRUE</w:Option></w:OptionSet>",
                "<rsp:CommandLine><rsp:Command>" + xml(commandLine) + "</rsp:Command></rsp:CommandLine>");
    }

    public static String receive(String to, String shellId, String commandId, Duration operationTimeout) {
        return envelope(to, ACTION_RECEIVE, shellId, operationTimeout,
                "<w:OptionSet><w:Option Name=\"WSMAN_CMDSHELL_OPTION_KEEPALIVE\">TRUE</w:Option></w:OptionSet>",
                "<rsp:Receive><rsp:DesiredStream CommandId=\"" + xml(commandId) + "\">stdout stderr</rsp:DesiredStream></rsp:Receive>");
    }

    public static String signalTerminate(String to, String shellId, String commandId, Duration operationTimeout) {
        return envelope(to, ACTION_SIGNAL, shellId, operationTimeout, "",
                "<rsp:Signal CommandId=\"" + xml(commandId) + "\"><rsp:Code>" + SIGNAL_TERMINATE + "</rsp:Code></rsp:Signal>");
    }

    public static String delete(String to, String shellId, Duration operationTimeout) {
        return envelope(to, ACTION_DELETE, shellId, operationTimeout, "", "");
    }

    private static String envelope(String to, String action, String shellId, Duration operationTimeout, String options,
                                   String body) {
        StringBuilder b = new StringBuilder(1024);
        b.append("<s:Envelope xmlns:s=\"").append(NS_SOAP).append("\" xmlns:a=\"").append(NS_ADDRESSING)
                .append("\" xmlns:w=\"").append(NS_WSMAN).append("\" xmlns:p=\"").append(NS_WSMAN_MS)
                .append("\" xmlns:rsp=\"").append(NS_SHELL).append("\">")
                .append("<s:Header>")
                .append("<a:To>").append(xml(to)).append("</a:To>")
                .append("<a:ReplyTo><a:Address s:mustUnderstand=\"true\">").append(ANONYMOUS).append("</a:Address></a:ReplyTo>")
                .append("<w:MaxEnvelopeSize s:mustUnderstand=\"true\">").append(MAX_ENVELOPE_SIZE).append("</w:MaxEnvelopeSize>")
                .append("<a:MessageID>uuid:").append(UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT)).append("</a:MessageID>")
                .append("<w:Locale xml:lang=\"en-US\" s:mustUnderstand=\"false\"/>")
                .append("<p:DataLocale xml:lang=\"en-US\" s:mustUnderstand=\"false\"/>")
                .append("<w:OperationTimeout>").append(duration(operationTimeout)).append("</w:OperationTimeout>")
                .append("<w:ResourceURI s:mustUnderstand=\"true\">").append(RESOURCE_CMD).append("</w:ResourceURI>")
                .append("<a:Action s:mustUnderstand=\"true\">").append(action).append("</a:Action>");
        if (shellId != null) {
            b.append("<w:SelectorSet><w:Selector Name=\"ShellId\">").append(xml(shellId)).append("</w:Selector></w:SelectorSet>");
        }
        b.append(options).append("</s:Header><s:Body>").append(body).append("</s:Body></s:Envelope>");
        return b.toString();
    }

    /** xs:duration in whole seconds with millis, e.g. {@code PT20.000S}. */
    static String duration(Duration d) {
        long millis = Math.max(1000, d.toMillis());
        return String.format(java.util.Locale.ROOT, "PT%d.%03dS", millis / 1000, millis % 1000);
    }

    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    // ---- answers ----

    /** A SOAP fault: its subcode (e.g. {@code w:TimedOut}), the WSManFault code, and its text. */
    public record Fault(String subcode, String wsmanCode, String text) {
        /** Whether this only means that Receive found no output within the operation timeout. */
        public boolean timedOut() {
            return (subcode != null && subcode.endsWith("TimedOut")) || TIMED_OUT_CODE.equals(wsmanCode);
        }
    }

    /** One Receive answer: the decoded stdout and stderr chunks, and the exit code once the command is done. */
    public record Received(byte[] stdout, byte[] stderr, boolean done, Integer exitCode) {
    }

    public static Document parse(byte[] xml) {
        try {
            return builder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new ProviderException("malformed WS-Management answer: " + e.getMessage());
        }
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fault in the answer, or {@code null} when it is none. */
    public static Fault fault(Document doc) {
        Element fault = first(doc.getDocumentElement(), NS_SOAP, "Fault");
        if (fault == null) {
            return null;
        }
        String subcode = null;
        Element sub = first(fault, NS_SOAP, "Subcode");
        if (sub != null) {
            Element v = first(sub, NS_SOAP, "Value");
            subcode = v == null ? null : v.getTextContent().strip();
        }
        String code = null;
        String text = null;
        Element wsmanFault = first(fault, NS_FAULT, "WSManFault");
        if (wsmanFault != null) {
            code = wsmanFault.getAttribute("Code");
            Element message = first(wsmanFault, NS_FAULT, "Message");
            if (message != null) {
                text = message.getTextContent();
            }
        }
        if (text == null || text.isBlank()) {
            Element reason = first(fault, NS_SOAP, "Text");
            text = reason == null ? "" : reason.getTextContent();
        }
        return new Fault(subcode, code == null || code.isEmpty() ? null : code, oneLine(text));
    }

    public static String shellId(Document doc) {
        Element id = first(doc.getDocumentElement(), NS_SHELL, "ShellId");
        if (id != null && !id.getTextContent().isBlank()) {
            return id.getTextContent().strip();
        }
        NodeList selectors = doc.getElementsByTagNameNS(NS_WSMAN, "Selector");
        for (int i = 0; i < selectors.getLength(); i++) {
            Element s = (Element) selectors.item(i);
            if ("ShellId".equals(s.getAttribute("Name"))) {
                return s.getTextContent().strip();
            }
        }
        throw new ProviderException("the server's Create answer has no ShellId");
    }

    public static String commandId(Document doc) {
        Element id = first(doc.getDocumentElement(), NS_SHELL, "CommandId");
        if (id == null || id.getTextContent().isBlank()) {
            throw new ProviderException("the server's Command answer has no CommandId");
        }
        return id.getTextContent().strip();
    }

    public static Received received(Document doc, String commandId) {
        NodeList streams = doc.getElementsByTagNameNS(NS_SHELL, "Stream");
        List<byte[]> out = new ArrayList<>();
        List<byte[]> err = new ArrayList<>();
        Base64.Decoder base64 = Base64.getMimeDecoder();
        for (int i = 0; i < streams.getLength(); i++) {
            Element s = (Element) streams.item(i);
            String cid = s.getAttribute("CommandId");
            if (!cid.isEmpty() && !cid.equalsIgnoreCase(commandId)) {
                continue;
            }
            String text = s.getTextContent();
            if (text == null || text.isBlank()) {
                continue;
            }
            byte[] bytes = base64.decode(text.strip());
            if ("stderr".equals(s.getAttribute("Name"))) {
                err.add(bytes);
            } else if ("stdout".equals(s.getAttribute("Name"))) {
                out.add(bytes);
            }
        }
        boolean done = false;
        Integer exit = null;
        Element state = first(doc.getDocumentElement(), NS_SHELL, "CommandState");
        if (state != null && STATE_DONE.equals(state.getAttribute("State"))) {
            done = true;
            Element code = first(state, NS_SHELL, "ExitCode");
            if (code != null) {
                try {
                    exit = Integer.parseInt(code.getTextContent().strip());
                } catch (NumberFormatException e) {
                    throw new ProviderException("the server's exit code is not a number: " + code.getTextContent());
                }
            }
        }
        return new Received(concat(out), concat(err), done, exit);
    }

    private static byte[] concat(List<byte[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = parts.stream().mapToInt(p -> p.length).sum();
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static Element first(Element root, String ns, String local) {
        if (root == null) {
            return null;
        }
        NodeList list = root.getElementsByTagNameNS(ns, local);
        Node n = list.getLength() == 0 ? null : list.item(0);
        return (Element) n;
    }

    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String s = text.replaceAll("\\s+", " ").strip();
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }
}
