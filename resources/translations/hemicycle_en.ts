<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>DelegateWindow</name>
    <message numerus="yes">
        <location filename="../../ui/delegate/window.py" line="658"/>
        <source>%n document(s) of “%1” imported from %2.</source>
        <translation>
            <numerusform>%n document of “%1” imported from %2.</numerusform>
            <numerusform>%n documents of “%1” imported from %2.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DocumentList</name>
    <message numerus="yes">
        <location filename="../../ui/widgets/documents.py" line="173"/>
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message numerus="yes">
        <location filename="../../ui/console/documents_panel.py" line="137"/>
        <source>%n page(s)</source>
        <extracomment>The document presented from this console now, in its own window.</extracomment>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message numerus="yes">
        <location filename="../../ui/reader/notes_panel.py" line="233"/>
        <source>%Ln annotation(s) to send when the room is in reach.</source>
        <translation>
            <numerusform>%Ln annotation to send when the room is in reach.</numerusform>
            <numerusform>%Ln annotations to send when the room is in reach.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PaperCountDialog</name>
    <message numerus="yes">
        <location filename="../../ui/console/paper_count.py" line="59"/>
        <source>Enter the paper ballots the tellers counted for “%1”. They are added to the %Ln vote(s) cast on devices, and the poll closes with them.</source>
        <translation>
            <numerusform>Enter the paper ballots the tellers counted for “%1”. They are added to the %Ln vote cast on devices, and the poll closes with them.</numerusform>
            <numerusform>Enter the paper ballots the tellers counted for “%1”. They are added to the %Ln votes cast on devices, and the poll closes with them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PollsPanel</name>
    <message numerus="yes">
        <location filename="../../ui/console/polls_panel.py" line="642"/>
        <source>The published list of %Ln vote(s) is the one the room signed.</source>
        <translation>
            <numerusform>The published list of %Ln vote is the one the room signed.</numerusform>
            <numerusform>The published list of %Ln votes is the one the room signed.</numerusform>
        </translation>
    </message>
</context>
</TS>
