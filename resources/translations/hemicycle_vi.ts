<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>About</name>
    <message>
        <location filename="../../ui/widgets/about.py" line="37"/>
        <source>About Hemicycle…</source>
        <translation>Giới thiệu Hemicycle…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/about.py" line="50"/>
        <source>Protocol version %1</source>
        <translation>Phiên bản giao thức %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/about.py" line="51"/>
        <source>Runs on Qt %1 (PySide6 %2), PyMuPDF %3 and Python %4.</source>
        <translation>Chạy trên Qt %1 (PySide6 %2), PyMuPDF %3 và Python %4.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/about.py" line="77"/>
        <source>About Hemicycle</source>
        <translation>Giới thiệu Hemicycle</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/about.py" line="86"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>AgendaDelegate</name>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="87"/>
        <source>%1 min</source>
        <translation>%1 phút</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="172"/>
        <source>NOW</source>
        <translation>ĐANG DIỄN RA</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="174"/>
        <source>IN PROGRESS</source>
        <translation>ĐANG TIẾN HÀNH</translation>
    </message>
</context>
<context>
    <name>AgendaItemDetail</name>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="613"/>
        <source>Tap an agenda item to read its details.</source>
        <translation>Chạm vào một mục trong chương trình để xem chi tiết.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="620"/>
        <source>Now being discussed</source>
        <translation>Đang thảo luận</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="624"/>
        <source>Finished</source>
        <translation>Đã kết thúc</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="625"/>
        <source>Coming up</source>
        <translation>Sắp tới</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="634"/>
        <source>Planned start %1</source>
        <translation>Dự kiến bắt đầu %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="636"/>
        <source>Duration %1 min</source>
        <translation>Thời lượng %1 phút</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="639"/>
        <source>No description.</source>
        <translation>Không có mô tả.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/agenda.py" line="621"/>
        <source>In progress — sub-item %1 is being discussed</source>
        <translation>Đang tiến hành — đang thảo luận mục con %1</translation>
    </message>
</context>
<context>
    <name>AgendaPanel</name>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="126"/>
        <source>Agenda — %1</source>
        <translation>Chương trình — %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="126"/>
        <source>Agenda</source>
        <translation>Chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="166"/>
        <source>Add item</source>
        <translation>Thêm mục</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="167"/>
        <source>Add sub-item</source>
        <translation>Thêm mục con</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="168"/>
        <source>Edit</source>
        <translation>Sửa</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="169"/>
        <location filename="../../ui/console/agenda_panel.py" line="259"/>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="170"/>
        <source>Move up</source>
        <translation>Chuyển lên</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="171"/>
        <source>Move down</source>
        <translation>Chuyển xuống</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="172"/>
        <source>Make it a sub-item of the item above</source>
        <translation>Đưa thành mục con của mục phía trên</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="173"/>
        <source>Move it out one level</source>
        <translation>Đưa ra ngoài một cấp</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="190"/>
        <source>It goes under %1, after its last sub-item.</source>
        <translation>Mục mới nằm dưới %1, sau mục con cuối cùng của mục này.</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="198"/>
        <source>It goes at the top level, after %1.</source>
        <translation>Mục mới nằm ở cấp trên cùng, sau %1.</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="202"/>
        <source>It goes at the top level, at the end of the agenda.</source>
        <translation>Mục mới nằm ở cấp trên cùng, ở cuối chương trình.</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="226"/>
        <source>Item added.</source>
        <translation>Đã thêm mục.</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="246"/>
        <source>Item saved.</source>
        <translation>Đã lưu mục.</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="255"/>
        <source>Remove “%1” from the agenda?</source>
        <translation>Xóa “%1” khỏi chương trình?</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="257"/>
        <source>Sub-items removed with it: %1</source>
        <translation>Số mục con bị xóa theo: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="259"/>
        <source>Remove agenda item</source>
        <translation>Xóa mục khỏi chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="259"/>
        <source>Keep it</source>
        <translation>Giữ lại</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="263"/>
        <source>Item removed.</source>
        <translation>Đã xóa mục.</translation>
    </message>
    <message>
        <location filename="../../ui/console/agenda_panel.py" line="283"/>
        <source>Item moved.</source>
        <translation>Đã di chuyển mục.</translation>
    </message>
</context>
<context>
    <name>AttendanceModel</name>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="160"/>
        <source>Present</source>
        <extracomment>Delegates one ``attendance.set`` names at most (app/protocol.py). The colour of each status&apos;s dot.</extracomment>
        <translation>Có mặt</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="161"/>
        <source>Absent</source>
        <translation>Vắng</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="162"/>
        <source>Excused</source>
        <translation>Vắng có lý do</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="163"/>
        <source>Not checked in</source>
        <translation>Chưa điểm danh</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="169"/>
        <location filename="../../ui/console/attendance_panel.py" line="174"/>
        <source>%1 · by hand</source>
        <translation>%1 · do thư ký ghi</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="182"/>
        <source>Proxy to %1</source>
        <translation>Ủy quyền cho %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="184"/>
        <source>Holds proxy of %1</source>
        <translation>Giữ ủy quyền của %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="189"/>
        <source>Holds proxies of %1</source>
        <translation>Giữ ủy quyền của %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="224"/>
        <source>%1 (no voting right)</source>
        <translation>%1 (không có quyền biểu quyết)</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="246"/>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="247"/>
        <source>Name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="248"/>
        <source>Delegation</source>
        <translation>Đoàn</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="249"/>
        <source>Attendance</source>
        <translation>Điểm danh</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="250"/>
        <source>Proxy</source>
        <translation>Ủy quyền</translation>
    </message>
</context>
<context>
    <name>AttendancePanel</name>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="709"/>
        <location filename="../../ui/console/attendance_panel.py" line="792"/>
        <source>Select a meeting to see its attendance.</source>
        <translation>Chọn một phiên họp để xem điểm danh.</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="713"/>
        <source>Present %1 of %2 · excused %3 · absent %4 · not checked in %5</source>
        <translation>Có mặt %1 trên %2 · vắng có lý do %3 · vắng %4 · chưa điểm danh %5</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="721"/>
        <source>Members with a vote: %1 present + %2 by proxy = %3 of %4</source>
        <translation>Thành viên có quyền biểu quyết: %1 có mặt + %2 ủy quyền = %3 trên %4</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="738"/>
        <source>All (%1)</source>
        <translation>Tất cả (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="739"/>
        <source>Present (%1)</source>
        <translation>Có mặt (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="740"/>
        <source>Not checked in (%1)</source>
        <translation>Chưa điểm danh (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="741"/>
        <source>Absent (%1)</source>
        <translation>Vắng (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="742"/>
        <source>Excused (%1)</source>
        <translation>Vắng có lý do (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="750"/>
        <source>Showing %1 of %2 delegates</source>
        <translation>Đang hiện %1 trên %2 đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="760"/>
        <source>%1 selected</source>
        <translation>đã chọn %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="779"/>
        <source>%1 holds proxies, so cannot give theirs.</source>
        <translation>%1 đang giữ ủy quyền nên không thể ủy quyền cho người khác.</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="785"/>
        <source>Select delegates (Ctrl or Shift for several).</source>
        <translation>Chọn đại biểu (giữ Ctrl hoặc Shift để chọn nhiều).</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="790"/>
        <source>No roster on this console yet: import one on the room server.</source>
        <translation>Bảng điều khiển này chưa có danh sách đại biểu: hãy nhập danh sách trên máy chủ phòng họp.</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="794"/>
        <source>No delegate matches “%1”.</source>
        <translation>Không có đại biểu nào khớp với “%1”.</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="795"/>
        <source>No delegate has this status.</source>
        <translation>Không có đại biểu nào ở trạng thái này.</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="798"/>
        <source>Search by number or name</source>
        <translation>Tìm theo số hoặc họ tên</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="799"/>
        <source>All delegations</source>
        <translation>Tất cả các đoàn</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="800"/>
        <source>Select all shown</source>
        <translation>Chọn tất cả đang hiện</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="801"/>
        <source>Check in</source>
        <translation>Điểm danh</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="802"/>
        <source>Check out</source>
        <translation>Ghi vắng</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="803"/>
        <source>Excused</source>
        <translation>Vắng có lý do</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="804"/>
        <source>Proxy…</source>
        <translation>Ủy quyền…</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="805"/>
        <source>Withdraw proxy</source>
        <translation>Rút ủy quyền</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="829"/>
        <source>Checked in: %1</source>
        <translation>Đã điểm danh: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="830"/>
        <source>Checked out: %1</source>
        <translation>Đã ghi vắng: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="831"/>
        <source>Marked excused: %1</source>
        <translation>Đã ghi vắng có lý do: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="870"/>
        <source>Proxy given.</source>
        <translation>Đã ghi ủy quyền.</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="884"/>
        <source>Proxy withdrawn.</source>
        <translation>Đã rút ủy quyền.</translation>
    </message>
</context>
<context>
    <name>AudienceChooser</name>
    <message>
        <location filename="../../ui/console/dialogs.py" line="253"/>
        <source>Everyone</source>
        <translation>Mọi người</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="254"/>
        <source>Only the members of these groups:</source>
        <translation>Chỉ thành viên của các nhóm sau:</translation>
    </message>
</context>
<context>
    <name>BallotScreen</name>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="439"/>
        <source>This poll is not open.</source>
        <extracomment>The room recorded a cast (the vote bar then says so).</extracomment>
        <translation>Cuộc biểu quyết này chưa mở.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="512"/>
        <source>Sending…</source>
        <translation>Đang gửi…</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="504"/>
        <location filename="../../ui/delegate/ballot.py" line="526"/>
        <location filename="../../ui/delegate/ballot.py" line="535"/>
        <location filename="../../ui/delegate/ballot.py" line="761"/>
        <source>Cast my vote</source>
        <translation>Gửi phiếu của tôi</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="567"/>
        <source>Your vote</source>
        <translation>Phiếu của bạn</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="574"/>
        <source>Your receipt is kept on this device. After the close, the app checks that it is in the published list with your choice.</source>
        <translation>Biên nhận của bạn được lưu trên máy này. Sau khi kết thúc, ứng dụng kiểm tra biên nhận có trong danh sách công bố với lựa chọn của bạn.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="578"/>
        <source>Receipt: %1</source>
        <translation>Biên nhận: %1</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="582"/>
        <source>Your vote is recorded</source>
        <translation>Phiếu của bạn đã được ghi nhận</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="586"/>
        <source>Your vote may not have reached the room</source>
        <translation>Phiếu của bạn có thể chưa đến được máy chủ phòng họp</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="598"/>
        <source>This device does not vote.</source>
        <translation>Thiết bị này không biểu quyết.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="600"/>
        <source>You have no voting right in this meeting. The result will appear here.</source>
        <translation>Bạn không có quyền biểu quyết trong phiên họp này. Kết quả sẽ hiện ở đây.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="603"/>
        <source>This poll is for members of %1 only. The result will appear here.</source>
        <translation>Cuộc biểu quyết này chỉ dành cho thành viên %1. Kết quả sẽ hiện ở đây.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="606"/>
        <source>You are not checked in: only delegates present vote. Check in to vote.</source>
        <translation>Bạn chưa điểm danh: chỉ đại biểu có mặt mới được biểu quyết. Hãy điểm danh để biểu quyết.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="609"/>
        <source>You are marked as excused from this meeting. To vote, ask the secretariat to check you in.</source>
        <translation>Bạn được ghi là vắng có lý do. Để biểu quyết, hãy đề nghị ban thư ký điểm danh cho bạn.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="627"/>
        <source>Time is up</source>
        <translation>Hết giờ</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="629"/>
        <source>%1 left</source>
        <translation>còn %1</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="640"/>
        <source>Closed: the result is being counted.</source>
        <translation>Đã kết thúc: đang kiểm phiếu.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="659"/>
        <source>Checking the published list…</source>
        <translation>Đang kiểm tra danh sách công bố…</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="688"/>
        <source>The published list does not match the result the room signed. Tell the secretariat.</source>
        <translation>Danh sách công bố không khớp với kết quả phòng họp đã ký. Hãy báo ban thư ký.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="696"/>
        <source>The published list matches the signed result. This device cast no vote in it.</source>
        <translation>Danh sách công bố khớp với kết quả đã ký. Thiết bị này không gửi phiếu nào trong cuộc biểu quyết này.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="704"/>
        <source>Your vote is in the published list as you cast it, and the list is the one the room signed.</source>
        <translation>Phiếu của bạn có trong danh sách công bố đúng như bạn đã bỏ, và danh sách đúng là danh sách phòng họp đã ký.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="712"/>
        <source>Your vote is NOT in the published list as you cast it. Tell the secretariat now, with this device.</source>
        <translation>Phiếu của bạn KHÔNG có trong danh sách công bố như bạn đã bỏ. Hãy báo ngay ban thư ký, mang theo thiết bị này.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="727"/>
        <source>Who voted what</source>
        <translation>Ai biểu quyết thế nào</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="755"/>
        <source>Back to the agenda</source>
        <translation>Quay lại chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="756"/>
        <source>Same choice for all my proxies</source>
        <translation>Cùng lựa chọn cho mọi phiếu ủy quyền</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="757"/>
        <source>Review my vote</source>
        <translation>Xem lại phiếu</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="758"/>
        <source>Check your vote, then cast it</source>
        <translation>Kiểm tra phiếu rồi gửi</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="759"/>
        <source>Change</source>
        <translation>Sửa</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="762"/>
        <source>Send again</source>
        <translation>Gửi lại</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="763"/>
        <source>Change my vote</source>
        <translation>Đổi phiếu</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="764"/>
        <source>Check in</source>
        <translation>Điểm danh</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="765"/>
        <source>Check my vote in the published list</source>
        <translation>Kiểm tra phiếu trong danh sách công bố</translation>
    </message>
</context>
<context>
    <name>BallotsModel</name>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="118"/>
        <source>by the secretariat</source>
        <translation>do ban thư ký ghi</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="121"/>
        <source>by proxy: %1</source>
        <translation>qua ủy quyền: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="124"/>
        <source>own device</source>
        <translation>từ thiết bị của đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="155"/>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="156"/>
        <source>Name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="157"/>
        <source>Delegation</source>
        <translation>Đoàn</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="158"/>
        <source>Vote</source>
        <translation>Phiếu</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="159"/>
        <source>Recorded</source>
        <translation>Ghi nhận</translation>
    </message>
</context>
<context>
    <name>BusyPage</name>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="780"/>
        <source>Connecting to the room…</source>
        <translation>Đang kết nối với phòng họp…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="781"/>
        <source>This device is being registered. It takes a few seconds.</source>
        <translation>Đang đăng ký thiết bị này. Việc này mất vài giây.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="783"/>
        <source>Enrollment did not succeed</source>
        <translation>Đăng ký không thành công</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="785"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="786"/>
        <source>Try again</source>
        <translation>Thử lại</translation>
    </message>
</context>
<context>
    <name>ChoiceRow</name>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="81"/>
        <source>Your vote</source>
        <translation>Phiếu của bạn</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="84"/>
        <source>Proxy of %1 (no. %2)</source>
        <translation>Ủy quyền của %1 (số %2)</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="218"/>
        <source>Choose %1 to %2 · %3 chosen</source>
        <translation>Chọn từ %1 đến %2 · đã chọn %3</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/ballot.py" line="220"/>
        <source>Choose up to %2 · %3 chosen</source>
        <translation>Chọn tối đa %2 · đã chọn %3</translation>
    </message>
</context>
<context>
    <name>CloseMeetingDialog</name>
    <message>
        <location filename="../../ui/console/dialogs.py" line="129"/>
        <source>Close meeting</source>
        <translation>Kết thúc phiên họp</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="130"/>
        <source>Close “%1”? It is marked as closed; it can be reopened later.</source>
        <translation>Kết thúc “%1”? Phiên họp được đánh dấu là đã kết thúc; có thể mở lại sau.</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="133"/>
        <location filename="../../ui/console/dialogs.py" line="167"/>
        <source>Close the meeting</source>
        <translation>Kết thúc phiên họp</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="134"/>
        <source>Keep it open</source>
        <translation>Giữ phiên họp</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="136"/>
        <source>Also wipe it from every device</source>
        <translation>Đồng thời xoá khỏi mọi thiết bị</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="141"/>
        <source>Each device deletes this meeting&apos;s documents and their keys at its next contact with the room. This is final: the meeting cannot be reopened and its documents are served to no one again.</source>
        <translation>Mỗi thiết bị xoá tài liệu của phiên họp này và khoá của chúng ở lần kết nối tiếp theo với phòng họp. Việc này không thể hoàn tác: phiên họp không thể mở lại và tài liệu không được cung cấp cho ai nữa.</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="150"/>
        <source>Delegates keep their own notes (without the document text they quote)</source>
        <translation>Đại biểu giữ ghi chú của mình (không kèm nội dung văn kiện được trích)</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="167"/>
        <source>Close and wipe from every device</source>
        <translation>Kết thúc và xoá khỏi mọi thiết bị</translation>
    </message>
</context>
<context>
    <name>CodePage</name>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="586"/>
        <source>Enrollment code</source>
        <translation>Mã đăng ký</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="590"/>
        <source>Type the secretary code shown when the room server was set up (hemicycle-server init).</source>
        <translation>Nhập mã thư ký được hiển thị khi cài đặt máy chủ phòng họp (hemicycle-server init).</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="595"/>
        <source>Type the enrollment code printed on your delegate card.</source>
        <translation>Nhập mã đăng ký in trên thẻ đại biểu.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="597"/>
        <source>Capitals, dashes and spaces don&apos;t matter. The code can be used only once.</source>
        <translation>Không phân biệt chữ hoa, chữ thường, dấu gạch ngang hay khoảng trắng. Mỗi mã chỉ dùng được một lần.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="601"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="602"/>
        <source>Next</source>
        <translation>Tiếp theo</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="513"/>
        <source>Picture of the QR code</source>
        <translation>Ảnh chụp mã QR</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="515"/>
        <source>Pictures</source>
        <translation>Ảnh</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="599"/>
        <source>Read the QR code from a picture…</source>
        <translation>Đọc mã QR từ ảnh chụp…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="600"/>
        <source>Use the picture in the clipboard</source>
        <translation>Dùng ảnh trong bộ nhớ tạm</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <location filename="../../ui/console/window.py" line="97"/>
        <source>This device is enrolled as a delegate: the room will refuse changes made from it. Enroll the console with a secretary code.</source>
        <translation>Thiết bị này được đăng ký là thiết bị đại biểu: phòng họp sẽ từ chối mọi thay đổi từ thiết bị này. Hãy đăng ký bảng điều khiển bằng mã thư ký.</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="266"/>
        <location filename="../../ui/console/window.py" line="267"/>
        <source>Secretariat console</source>
        <translation>Bảng điều khiển thư ký</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="269"/>
        <source>More</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="271"/>
        <source>Meetings and agenda</source>
        <translation>Phiên họp và chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="272"/>
        <source>Delegates</source>
        <translation>Đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="273"/>
        <source>Readiness</source>
        <translation>Sẵn sàng tài liệu</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="274"/>
        <source>Attendance</source>
        <translation>Điểm danh</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="275"/>
        <source>Votes</source>
        <translation>Biểu quyết</translation>
    </message>
</context>
<context>
    <name>ControlPanel</name>
    <message>
        <location filename="../../ui/console/control_panel.py" line="76"/>
        <source>Now: %1</source>
        <translation>Đang diễn ra: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="81"/>
        <source>No item is current.</source>
        <translation>Chưa có mục nào đang diễn ra.</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="90"/>
        <source>Meeting control</source>
        <translation>Điều hành phiên họp</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="91"/>
        <source>Set as current</source>
        <translation>Đặt làm mục hiện tại</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="92"/>
        <source>Next item ▶</source>
        <translation>Mục tiếp theo ▶</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="109"/>
        <source>The current item is the last one on the agenda.</source>
        <translation>Mục đang diễn ra là mục cuối cùng của chương trình.</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="121"/>
        <source>“%1” is not the meeting on the delegates&apos; screens. Making this item current shows “%1” on every delegate&apos;s screen.</source>
        <translation>“%1” không phải là phiên họp đang hiển thị trên màn hình của đại biểu. Đặt mục này làm mục hiện tại sẽ hiển thị “%1” trên màn hình của mọi đại biểu.</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="125"/>
        <source>They show “%1” now.</source>
        <translation>Màn hình hiện đang hiển thị “%1”.</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="128"/>
        <source>Show another meeting</source>
        <translation>Hiển thị phiên họp khác</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="130"/>
        <source>Show it on every screen</source>
        <translation>Hiển thị trên mọi màn hình</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="131"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/console/control_panel.py" line="137"/>
        <source>Now on every screen: %1</source>
        <translation>Đang hiển thị trên mọi màn hình: %1</translation>
    </message>
</context>
<context>
    <name>CountButton</name>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="115"/>
        <source>Delegates connected</source>
        <extracomment>What the list shows: who is missing (the default), who is here, or everyone. Sorts by a column&apos;s value rather than its text (ranks of names, numbers of counts).</extracomment>
        <translation>Đại biểu đang kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="118"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="125"/>
        <source>Delegates: %1</source>
        <translation>Đại biểu: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="126"/>
        <source>Secretariat: %1</source>
        <translation>Ban Thư ký: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="127"/>
        <source>Hall displays: %1</source>
        <translation>Màn hình hội trường: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="128"/>
        <source>Administrators: %1</source>
        <translation>Quản trị viên: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="135"/>
        <source>Devices connected now:</source>
        <translation>Thiết bị đang kết nối:</translation>
    </message>
</context>
<context>
    <name>DelegatePicker</name>
    <message>
        <location filename="../../ui/console/delegate_picker.py" line="108"/>
        <source>Search by number or name</source>
        <translation>Tìm theo số hoặc họ tên</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegate_picker.py" line="143"/>
        <source>Showing %1 of %2</source>
        <translation>Đang hiện %1 trên %2</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegate_picker.py" line="148"/>
        <source>No delegate matches “%1”.</source>
        <translation>Không có đại biểu nào khớp với “%1”.</translation>
    </message>
</context>
<context>
    <name>DelegateWindow</name>
    <message>
        <location filename="../../ui/delegate/window.py" line="740"/>
        <source>No meeting</source>
        <translation>Chưa có phiên họp</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="757"/>
        <source>NOW</source>
        <translation>ĐANG DIỄN RA</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="758"/>
        <source>Show the item being discussed</source>
        <translation>Xem mục đang thảo luận</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="812"/>
        <source>You are not checked in for this meeting: check in to be counted present and vote.</source>
        <translation>Bạn chưa điểm danh phiên họp này: hãy điểm danh để được tính có mặt và biểu quyết.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="815"/>
        <source>Check in</source>
        <translation>Điểm danh</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="819"/>
        <source>No meeting is being shown yet.
The agenda appears here as soon as the secretariat opens the meeting.</source>
        <translation>Chưa có phiên họp nào được hiển thị.
Chương trình sẽ xuất hiện ở đây ngay khi Ban Thư ký mở phiên họp.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="795"/>
        <source>Delegate no. %1</source>
        <translation>Đại biểu số %1</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="463"/>
        <source>Save my annotated copy</source>
        <translation>Lưu bản có ghi chú của tôi</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="465"/>
        <source>PDF documents (*.pdf)</source>
        <translation>Tài liệu PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="472"/>
        <source>The copy could not be saved: %1</source>
        <translation>Không lưu được bản sao: %1</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="474"/>
        <source>Your annotated copy is saved in %1.</source>
        <translation>Bản có ghi chú của bạn đã được lưu tại %1.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="586"/>
        <source>You voted · %1</source>
        <translation>Bạn đã biểu quyết · %1</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="588"/>
        <source>VOTE NOW · %1</source>
        <translation>BIỂU QUYẾT NGAY · %1</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="590"/>
        <source>Vote in progress · %1</source>
        <translation>Đang biểu quyết · %1</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="593"/>
        <source>%1 left</source>
        <translation>còn %1</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="599"/>
        <source>RESULT · %1</source>
        <translation>KẾT QUẢ · %1</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="668"/>
        <source>Import documents from a file</source>
        <translation>Nhập tài liệu từ tệp</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="670"/>
        <source>Document bundles (*.hcb);;All files (*)</source>
        <translation>Gói tài liệu (*.hcb);;Mọi tệp (*)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/delegate/window.py" line="681"/>
        <source>%n document(s) of “%1” imported from %2.</source>
        <translation>
            <numerusform>Đã nhập %n tài liệu của “%1” từ %2.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="685"/>
        <source>They open once the room has sent this device their keys.</source>
        <translation>Tài liệu mở được khi phòng họp đã gửi khoá cho thiết bị này.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="789"/>
        <source>Import documents from a file…</source>
        <translation>Nhập tài liệu từ tệp…</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="791"/>
        <source>More</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="801"/>
        <source>Secretariat</source>
        <translation>Ban Thư ký</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="802"/>
        <source>Administrator</source>
        <translation>Quản trị viên</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="803"/>
        <source>Hall display</source>
        <translation>Màn hình hội trường</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="403"/>
        <location filename="../../ui/delegate/window.py" line="807"/>
        <source>Device no. %1</source>
        <extracomment>How often the &quot;last synced … ago&quot; of the banner is brought up to date while not online. How long a notice (a document that did not open) stays on screen. Below this width (logical px) the agenda fills the window and an item&apos;s detail opens as its own page: a 10&quot; 1280x800 tablet at 150 % scaling is about 850 px wide. Polls seen open, so a poll&apos;s opening brings the ballot on screen once, not again.</extracomment>
        <translation>Thiết bị số %1</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="809"/>
        <source>Agenda</source>
        <translation>Chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="816"/>
        <source>Back to the agenda</source>
        <translation>Quay lại chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="760"/>
        <source>LAST KNOWN</source>
        <translation>ĐƯỢC BIẾT LẦN CUỐI</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="763"/>
        <source>Not connected to the room: this is the last item received, and the meeting may have moved on since.</source>
        <translation>Chưa kết nối với phòng họp: đây là mục nhận được lần cuối, phiên họp có thể đã chuyển sang mục khác.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/window.py" line="768"/>
        <source>Not live · %1</source>
        <translation>Không trực tiếp · %1</translation>
    </message>
</context>
<context>
    <name>DelegatesModel</name>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="194"/>
        <source>Connected</source>
        <translation>Đã kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="194"/>
        <source>Not connected</source>
        <translation>Chưa kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="235"/>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="235"/>
        <source>Name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="235"/>
        <source>Delegation</source>
        <translation>Đoàn</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="235"/>
        <source>Connection</source>
        <translation>Kết nối</translation>
    </message>
</context>
<context>
    <name>DelegatesPanel</name>
    <message>
        <location filename="../../ui/console/tables.py" line="86"/>
        <source>No delegation</source>
        <extracomment>Qt 6.10 is told before and after the filter changes (invalidateRowsFilter is deprecated); older versions, which the project still supports, only after.</extracomment>
        <translation>Không thuộc đoàn nào</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="560"/>
        <source>Not connected (%1)</source>
        <translation>Chưa kết nối (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="561"/>
        <source>Connected (%1)</source>
        <translation>Đã kết nối (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="562"/>
        <source>All (%1)</source>
        <translation>Tất cả (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="570"/>
        <source>Showing %1 of %2 delegates</source>
        <translation>Đang hiện %1 trên %2 đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="581"/>
        <source>No roster on this console yet: import one on the room server.</source>
        <translation>Bảng điều khiển này chưa có danh sách đại biểu: hãy nhập danh sách trên máy chủ phòng họp.</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="583"/>
        <source>No delegate matches “%1”.</source>
        <translation>Không có đại biểu nào khớp với “%1”.</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="585"/>
        <source>Every delegate is connected.</source>
        <translation>Tất cả đại biểu đều đã kết nối.</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="586"/>
        <source>No delegate is connected.</source>
        <translation>Chưa có đại biểu nào kết nối.</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="589"/>
        <source>Search by number or name</source>
        <translation>Tìm theo số hoặc họ tên</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="590"/>
        <source>All delegations</source>
        <translation>Tất cả các đoàn</translation>
    </message>
</context>
<context>
    <name>DelegationAttendanceModel</name>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="311"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="358"/>
        <source>Delegation</source>
        <translation>Đoàn</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="358"/>
        <source>Present</source>
        <translation>Có mặt</translation>
    </message>
</context>
<context>
    <name>DelegationReadinessModel</name>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="223"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="238"/>
        <source>Delegation</source>
        <translation>Đoàn</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="238"/>
        <source>Not ready</source>
        <translation>Chưa sẵn sàng</translation>
    </message>
</context>
<context>
    <name>DelegationsModel</name>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="328"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="379"/>
        <source>Delegation</source>
        <translation>Đoàn</translation>
    </message>
    <message>
        <location filename="../../ui/console/delegates_panel.py" line="379"/>
        <source>Not connected</source>
        <translation>Chưa kết nối</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <location filename="../../ui/console/dialogs.py" line="490"/>
        <source>Publish a document</source>
        <extracomment>Roster groups whose members may read it (within the meeting&apos;s); empty: everyone who sees the meeting. The agenda item it belongs to (when the dialog offered to move it).</extracomment>
        <translation>Phát hành tài liệu</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="490"/>
        <source>Document</source>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="496"/>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="497"/>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="505"/>
        <source>Agenda item</source>
        <translation>Mục chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="509"/>
        <source>Who may read it</source>
        <translation>Ai được đọc</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="511"/>
        <source>Publish</source>
        <translation>Phát hành</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="511"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="512"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="532"/>
        <source>Give the document a title.</source>
        <translation>Hãy đặt tiêu đề cho tài liệu.</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="534"/>
        <source>Tick the groups whose members may read it.</source>
        <translation>Hãy đánh dấu các nhóm có thành viên được đọc tài liệu.</translation>
    </message>
</context>
<context>
    <name>DocumentList</name>
    <message>
        <location filename="../../ui/widgets/documents.py" line="143"/>
        <source>Withdrawn by the secretariat</source>
        <extracomment>Changed pages listed by number before &quot;and N more&quot;.</extracomment>
        <translation>Đã được Ban Thư ký thu hồi</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/documents.py" line="149"/>
        <source>On this device</source>
        <translation>Đã có trên thiết bị này</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/documents.py" line="152"/>
        <source>Downloading… %1 %</source>
        <translation>Đang tải… %1 %</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/documents.py" line="155"/>
        <source>Not on this device yet: it downloads when the room is reachable</source>
        <translation>Chưa có trên thiết bị này: tài liệu sẽ được tải khi kết nối được với phòng họp</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/documents.py" line="157"/>
        <source>Waiting to download…</source>
        <translation>Đang chờ tải…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/documents.py" line="162"/>
        <source>Revised: version %1</source>
        <translation>Đã sửa đổi: phiên bản %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/documents.py" line="165"/>
        <source>and %1 more</source>
        <translation>và %1 trang khác</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/documents.py" line="166"/>
        <source>Revised: pages %1 changed</source>
        <translation>Đã sửa đổi: các trang %1 thay đổi</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/documents.py" line="169"/>
        <source>Documents</source>
        <translation>Tài liệu</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/widgets/documents.py" line="173"/>
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n trang</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DocumentsBar</name>
    <message>
        <location filename="../../ui/widgets/documents.py" line="229"/>
        <source>Documents on this device: %1 of %2</source>
        <translation>Tài liệu trên thiết bị này: %1 / %2</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message numerus="yes">
        <location filename="../../ui/console/documents_panel.py" line="137"/>
        <source>%n page(s)</source>
        <extracomment>The document presented from this console now, in its own window.</extracomment>
        <translation>
            <numerusform>%n trang</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="139"/>
        <source>version %1</source>
        <translation>phiên bản %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="141"/>
        <source>only %1</source>
        <translation>chỉ %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="143"/>
        <source>withdrawn</source>
        <translation>đã thu hồi</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="157"/>
        <source>Documents of %1</source>
        <translation>Tài liệu của %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="157"/>
        <source>Documents</source>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="169"/>
        <source>Drop PDF files here to attach them to this item.</source>
        <translation>Kéo tệp PDF thả vào đây để đính kèm vào mục này.</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="171"/>
        <source>Select an agenda item to see and attach its documents.</source>
        <translation>Chọn một mục chương trình để xem và đính kèm tài liệu.</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="175"/>
        <source>Attach PDF…</source>
        <translation>Đính kèm PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="176"/>
        <source>Replace…</source>
        <translation>Thay thế…</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="177"/>
        <source>Details…</source>
        <translation>Chi tiết…</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="178"/>
        <location filename="../../ui/console/documents_panel.py" line="396"/>
        <source>Withdraw</source>
        <translation>Thu hồi</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="179"/>
        <source>Present</source>
        <translation>Trình chiếu</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="180"/>
        <source>Presenter…</source>
        <translation>Người trình bày…</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="191"/>
        <source>Presented by the secretariat</source>
        <translation>Ban Thư ký trình chiếu</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="216"/>
        <source>Presenter given.</source>
        <translation>Đã giao vai trò người trình bày.</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="218"/>
        <source>The role is taken back.</source>
        <translation>Đã thu hồi vai trò.</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="243"/>
        <source>Attach a PDF</source>
        <translation>Đính kèm tệp PDF</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="243"/>
        <location filename="../../ui/console/documents_panel.py" line="281"/>
        <source>PDF documents (*.pdf)</source>
        <translation>Tài liệu PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="279"/>
        <source>Revised version of %1</source>
        <translation>Phiên bản sửa đổi của %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="299"/>
        <source>Cannot read %1: %2</source>
        <translation>Không đọc được %1: %2</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="305"/>
        <source>%1 is empty.</source>
        <translation>%1 trống.</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="312"/>
        <source>Sending %1…</source>
        <translation>Đang gửi %1…</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="321"/>
        <source>The room is checking %1…</source>
        <translation>Phòng họp đang kiểm tra %1…</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="337"/>
        <source>%1 published as version %2; pages changed: %3</source>
        <translation>Đã phát hành %1 làm phiên bản %2; các trang thay đổi: %3</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="340"/>
        <source>none</source>
        <translation>không có</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="343"/>
        <source>%1 published; devices are downloading it.</source>
        <translation>Đã phát hành %1; các thiết bị đang tải về.</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="346"/>
        <source>Taken out of the file: %1.</source>
        <translation>Đã gỡ khỏi tệp: %1.</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="382"/>
        <source>Document saved.</source>
        <translation>Đã lưu tài liệu.</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="392"/>
        <source>Withdraw document</source>
        <translation>Thu hồi tài liệu</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="393"/>
        <source>Withdraw “%1”? Every device deletes it; the record of it stays.</source>
        <translation>Thu hồi “%1”? Mọi thiết bị sẽ xóa tài liệu; hồ sơ về tài liệu vẫn được lưu.</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="397"/>
        <source>Keep it</source>
        <translation>Giữ lại</translation>
    </message>
    <message>
        <location filename="../../ui/console/documents_panel.py" line="402"/>
        <source>Document withdrawn.</source>
        <translation>Đã thu hồi tài liệu.</translation>
    </message>
</context>
<context>
    <name>EnrollWizard</name>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="942"/>
        <source>Step %1 of %2</source>
        <translation>Bước %1/%2</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../ui/widgets/errors.py" line="28"/>
        <source>The code is too short: a symbol group is missing.</source>
        <translation>Mã quá ngắn: thiếu một nhóm ký tự.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="29"/>
        <source>The code does not check out: a symbol is mistyped or missing.</source>
        <translation>Mã không đúng: có ký tự bị gõ sai hoặc bị thiếu.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="32"/>
        <source>This is not a Hemicycle enrollment code.</source>
        <translation>Đây không phải là mã đăng ký Hemicycle.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="33"/>
        <source>The code has the wrong length: a symbol group is missing or repeated.</source>
        <translation>Độ dài của mã không đúng: có nhóm ký tự bị thiếu hoặc bị lặp.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="45"/>
        <source>“%1” cannot appear in a code. Codes use digits and the letters A–Z.</source>
        <translation>Mã không thể chứa “%1”. Mã chỉ gồm chữ số và các chữ cái A–Z.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="36"/>
        <source>This code was made for a newer version of Hemicycle. Update this app.</source>
        <translation>Mã này dành cho phiên bản Hemicycle mới hơn. Hãy cập nhật ứng dụng.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="51"/>
        <source>This code is not valid: %1</source>
        <translation>Mã không hợp lệ: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="57"/>
        <source>Type the code first.</source>
        <translation>Hãy nhập mã trước.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="85"/>
        <source>This code belongs to a different room than the one you chose. Check the room, or the code on your card.</source>
        <translation>Mã này thuộc về một phòng họp khác với phòng đã chọn. Hãy kiểm tra lại phòng họp, hoặc mã in trên thẻ.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="95"/>
        <source>The room did not accept this code: it is unknown or has already been used. Check it against your card, or ask the secretariat for a new one.</source>
        <translation>Phòng họp không chấp nhận mã này: mã không tồn tại hoặc đã được sử dụng. Hãy đối chiếu với mã in trên thẻ, hoặc đề nghị Ban Thư ký cấp mã mới.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="101"/>
        <source>The room server could not be reached. Check that this device is connected to the hall&apos;s network (Wi-Fi), then try again.</source>
        <translation>Không kết nối được với máy chủ phòng họp. Hãy kiểm tra thiết bị đã kết nối với mạng (Wi-Fi) của hội trường, rồi thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="107"/>
        <source>The server that answered is not the room your code belongs to: its security certificate does not match. Do not continue; tell the secretariat.</source>
        <translation>Máy chủ trả lời không phải là phòng họp của mã này: chứng chỉ bảo mật không khớp. Không tiếp tục; hãy báo ngay cho Ban Thư ký.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="117"/>
        <source>The room refused this enrollment. Ask the secretariat.</source>
        <translation>Phòng họp từ chối đăng ký này. Hãy liên hệ Ban Thư ký.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="120"/>
        <source>Enrollment failed (%1). Try again, or ask the technical staff.</source>
        <translation>Đăng ký không thành công (%1). Hãy thử lại, hoặc liên hệ bộ phận kỹ thuật.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="129"/>
        <source>Not connected to the room server, so nothing was changed. Try again when the indicator shows Online.</source>
        <translation>Chưa kết nối với máy chủ phòng họp nên chưa có gì thay đổi. Hãy thử lại khi chỉ báo hiện “Trực tuyến”.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="135"/>
        <source>The room server did not answer in time. The change may not have been made; check the agenda and try again.</source>
        <translation>Máy chủ phòng họp không trả lời kịp. Thay đổi có thể chưa được thực hiện; hãy kiểm tra chương trình rồi thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="143"/>
        <source>This device is not allowed to do that. Only secretaries can change the agenda.</source>
        <translation>Thiết bị này không được phép thực hiện thao tác đó. Chỉ thư ký mới được thay đổi chương trình.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="148"/>
        <source>That no longer exists: someone else may have just removed it.</source>
        <translation>Mục này không còn nữa: có thể người khác vừa xóa.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="152"/>
        <source>The room server refused the values: %1</source>
        <translation>Máy chủ phòng họp từ chối các giá trị: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="156"/>
        <source>That conflicts with a change made at the same time: %1</source>
        <translation>Thao tác này xung đột với một thay đổi được thực hiện cùng lúc: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="160"/>
        <source>The room did not record this vote: it may not be cast from here now (not checked in, no voting right in this poll, or no proxy held). Ask the secretariat.</source>
        <translation>Phòng họp không ghi nhận phiếu này: hiện không thể bỏ phiếu từ đây (chưa điểm danh, không có quyền biểu quyết trong cuộc này, hoặc không giữ ủy quyền). Hãy hỏi ban thư ký.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="166"/>
        <source>This poll is not open (it has closed, or not opened yet): nothing was recorded.</source>
        <translation>Cuộc biểu quyết không mở (đã kết thúc hoặc chưa bắt đầu): không có gì được ghi nhận.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="171"/>
        <source>This device is no longer accepted by the room. Ask the secretariat.</source>
        <translation>Phòng họp không còn chấp nhận thiết bị này. Hãy liên hệ Ban Thư ký.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="174"/>
        <source>The request failed: %1</source>
        <translation>Yêu cầu không thành công: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="182"/>
        <source>A vote is already recorded for you in this poll (from another device of yours, or by the secretariat): this one was not counted.</source>
        <translation>Đã có một phiếu được ghi nhận cho bạn trong cuộc biểu quyết này (từ thiết bị khác của bạn hoặc do ban thư ký): phiếu này không được tính.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="194"/>
        <source>No other device of yours is waiting for your annotations. Enroll it and let it connect to the room first, then try again.</source>
        <translation>Không có thiết bị nào khác của bạn đang chờ ghi chú. Hãy đăng ký thiết bị đó và để nó kết nối với phòng họp trước, rồi thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="200"/>
        <source>This device does not hold your annotations yet: try when it is connected.</source>
        <translation>Thiết bị này chưa có ghi chú của bạn: hãy thử lại khi đã kết nối.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="211"/>
        <source>A vote is already recorded for this delegate in this poll: this one was not counted.</source>
        <translation>Đại biểu này đã có phiếu được ghi nhận trong cuộc biểu quyết này: phiếu này không được tính.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="216"/>
        <source>The room did not record this vote: this delegate has no vote in this poll (no voting right, or not in its groups).</source>
        <translation>Phòng họp không ghi nhận phiếu này: đại biểu không có quyền biểu quyết trong cuộc này (không có quyền biểu quyết, hoặc không thuộc nhóm được biểu quyết).</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="225"/>
        <source>Your saved poll templates could not be read (%1): only the built-in ones are offered.</source>
        <translation>Không đọc được các mẫu biểu quyết đã lưu (%1): chỉ dùng được các mẫu có sẵn.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="229"/>
        <source>Your saved poll templates are damaged (%1): only the built-in ones are offered. Saving a template starts a new file; the damaged one is kept beside it.</source>
        <translation>Các mẫu biểu quyết đã lưu bị hỏng (%1): chỉ dùng được các mẫu có sẵn. Lưu một mẫu sẽ tạo tệp mới; tệp hỏng được giữ lại bên cạnh.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="234"/>
        <source>A saved poll template breaks the voting rules (%1): only the built-in ones are offered. Saving a template starts a new file; the old one is kept beside it.</source>
        <translation>Một mẫu biểu quyết đã lưu vi phạm quy tắc biểu quyết (%1): chỉ dùng được các mẫu có sẵn. Lưu một mẫu sẽ tạo tệp mới; tệp cũ được giữ lại bên cạnh.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="239"/>
        <source>The template could not be saved (%1). The poll itself is not affected.</source>
        <translation>Không lưu được mẫu (%1). Cuộc biểu quyết không bị ảnh hưởng.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="242"/>
        <source>These rules cannot be saved as a template: %1</source>
        <translation>Không thể lưu các quy tắc này thành mẫu: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="252"/>
        <source>The poll templates could not be used: %1</source>
        <translation>Không dùng được các mẫu biểu quyết: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="268"/>
        <source>Not connected to the room server: who is connected is not known now. The list shows the connections last known.</source>
        <translation>Chưa kết nối với máy chủ phòng họp: hiện không biết ai đang kết nối. Danh sách cho thấy các kết nối được biết lần cuối.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="282"/>
        <source>The room server is older than this app: it speaks protocol %1, this app %2.</source>
        <translation>Máy chủ phòng họp cũ hơn ứng dụng này: máy chủ dùng giao thức %1, ứng dụng dùng %2.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="286"/>
        <source>Ask the technical staff to update the room server.</source>
        <translation>Hãy đề nghị bộ phận kỹ thuật cập nhật máy chủ phòng họp.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="290"/>
        <source>Ask the technical staff to update the room server, or to install version %1 of the app.</source>
        <translation>Hãy đề nghị bộ phận kỹ thuật cập nhật máy chủ phòng họp, hoặc cài phiên bản %1 của ứng dụng.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="301"/>
        <source>This app is too old for the room: please install the version the room server runs. Ask the technical staff.</source>
        <translation>Ứng dụng này quá cũ so với phòng họp: vui lòng cài phiên bản mà máy chủ phòng họp đang chạy. Hãy hỏi bộ phận kỹ thuật.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="307"/>
        <source>This app is too old for the room: please install version %1 (protocol %2). Ask the technical staff.</source>
        <translation>Ứng dụng này quá cũ so với phòng họp: vui lòng cài phiên bản %1 (giao thức %2). Hãy hỏi bộ phận kỹ thuật.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="322"/>
        <source>This device has been removed from the room and cannot connect any more. The agenda shown is the last one received. Ask the secretariat.</source>
        <translation>Thiết bị này đã bị gỡ khỏi phòng họp và không thể kết nối được nữa. Chương trình đang hiển thị là bản nhận được lần cuối. Hãy liên hệ Ban Thư ký.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="327"/>
        <source>The connection to the room stopped because of an error: %1</source>
        <translation>Kết nối với phòng họp bị dừng do lỗi: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="338"/>
        <source>The deployment file %1 was not found, so this tablet started without its preparation. Tell the technical staff.</source>
        <translation>Không tìm thấy tệp triển khai %1, nên máy tính bảng này khởi động mà không có thiết lập sẵn. Hãy báo bộ phận kỹ thuật.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="346"/>
        <source>The deployment file %1 cannot be used (%2), so this tablet started without its preparation. Tell the technical staff.</source>
        <translation>Không dùng được tệp triển khai %1 (%2), nên máy tính bảng này khởi động mà không có thiết lập sẵn. Hãy báo bộ phận kỹ thuật.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="367"/>
        <source>Wrong PIN. Try again.</source>
        <translation>Sai mã PIN. Hãy thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="369"/>
        <source>Too many wrong PINs. Wait %1 seconds, then try again.</source>
        <translation>Nhập sai mã PIN quá nhiều lần. Hãy đợi %1 giây rồi thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="372"/>
        <source>The keys on this device are missing or damaged (%1). This device must be enrolled again: ask the secretariat.</source>
        <translation>Khóa bảo mật trên thiết bị này bị mất hoặc bị hỏng (%1). Cần đăng ký lại thiết bị: hãy liên hệ Ban Thư ký.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="380"/>
        <source>This document is not completely on this device yet. It finishes downloading as soon as the room&apos;s network is reachable.</source>
        <translation>Tài liệu này chưa được tải đầy đủ về thiết bị. Việc tải sẽ hoàn tất ngay khi kết nối được với mạng của phòng họp.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="385"/>
        <source>This device has not received the key to this document yet. Connect to the room&apos;s network once; then it opens without it.</source>
        <translation>Thiết bị này chưa nhận được khóa của tài liệu. Hãy kết nối với mạng của phòng họp một lần; sau đó tài liệu mở được cả khi không có mạng.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="390"/>
        <source>This document is no longer available: it was withdrawn, or its meeting was closed and its documents deleted.</source>
        <translation>Tài liệu này không còn nữa: tài liệu đã bị thu hồi, hoặc phiên họp đã kết thúc và tài liệu đã bị xóa.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="395"/>
        <source>This device has been away from the room for too long to open this meeting&apos;s documents. Connect to the room&apos;s network to open them again.</source>
        <translation>Thiết bị này đã mất kết nối với phòng họp quá lâu nên không mở được tài liệu của phiên họp này. Hãy kết nối với mạng của phòng họp để mở lại.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="400"/>
        <source>The copy of this document on this device is damaged. It is downloaded again when the room&apos;s network is reachable.</source>
        <translation>Bản sao tài liệu trên thiết bị này bị hỏng. Tài liệu sẽ được tải lại khi kết nối được với mạng của phòng họp.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="413"/>
        <source>The document could not be opened: %1</source>
        <translation>Không mở được tài liệu: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="419"/>
        <source>%1 is not a file of documents for Hemicycle (a bundle made by the room).</source>
        <translation>%1 không phải là tệp tài liệu của Hemicycle (gói do phòng họp tạo).</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="422"/>
        <source>%1 is incomplete or damaged: nothing that did not match was kept. Copy the file again, or let the documents download from the room.</source>
        <translation>%1 không đầy đủ hoặc bị hỏng: không giữ lại phần nào không khớp. Hãy sao chép lại tệp, hoặc để tài liệu tải về từ phòng họp.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="427"/>
        <source>%1 holds the documents of another room: nothing was imported.</source>
        <translation>%1 chứa tài liệu của phòng họp khác: không có gì được nhập.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="430"/>
        <source>This device is not enrolled in a room yet: enroll it, then import %1.</source>
        <translation>Thiết bị này chưa được đăng ký vào phòng họp: hãy đăng ký, rồi nhập %1.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="455"/>
        <source>%n script(s)</source>
        <translation>%n đoạn mã</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="456"/>
        <source>%n web link(s)</source>
        <translation>%n liên kết web</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="457"/>
        <source>%n link(s) to other files</source>
        <translation>%n liên kết tới tệp khác</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="458"/>
        <source>%n command(s) that start programs</source>
        <translation>%n lệnh khởi chạy chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="459"/>
        <source>%n attached file(s)</source>
        <translation>%n tệp đính kèm</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="460"/>
        <source>%n form action(s)</source>
        <translation>%n thao tác biểu mẫu</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="461"/>
        <source>%n XFA form(s)</source>
        <translation>%n biểu mẫu XFA</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="462"/>
        <source>%n sound or video item(s)</source>
        <translation>%n mục âm thanh hoặc video</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="463"/>
        <source>%n automatic action(s)</source>
        <translation>%n thao tác tự động</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="464"/>
        <source>%n other action(s)</source>
        <translation>%n thao tác khác</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="359"/>
        <source>The PIN must have %1 to %2 digits.</source>
        <translation>Mã PIN phải có từ %1 đến %2 chữ số.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="63"/>
        <source>No QR code was found in this picture. Take the photo again, closer and sharp, with the whole QR code of your card in it.</source>
        <translation>Không tìm thấy mã QR nào trong ảnh này. Hãy chụp lại gần hơn, rõ nét và chụp trọn mã QR trên thẻ của bạn.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="69"/>
        <source>The QR code in this picture is not a Hemicycle enrollment code. Use the QR code printed on your card.</source>
        <translation>Mã QR trong ảnh này không phải là mã đăng ký Hemicycle. Hãy dùng mã QR in trên thẻ của bạn.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="75"/>
        <source>This picture shows several enrollment codes. Take a photo of your own card only.</source>
        <translation>Ảnh này có nhiều mã đăng ký. Hãy chỉ chụp thẻ của chính bạn.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="79"/>
        <source>This file cannot be read as a picture. Choose a photo or a PNG picture.</source>
        <translation>Không đọc được tệp này dưới dạng ảnh. Hãy chọn một ảnh chụp hoặc một ảnh PNG.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="259"/>
        <source>Not connected to the room server: changes cannot be sent. The buttons come back as soon as the indicator shows Online.</source>
        <translation>Chưa kết nối với máy chủ phòng họp: chưa thể gửi thay đổi. Các nút sẽ dùng được trở lại ngay khi chỉ báo hiện “Trực tuyến”.</translation>
    </message>
</context>
<context>
    <name>ExitPrompt</name>
    <message>
        <location filename="../../ui/kiosk.py" line="167"/>
        <source>Close the app</source>
        <translation>Đóng ứng dụng</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="169"/>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="172"/>
        <source>For the secretariat: type the exit PIN to close Hemicycle on this tablet.</source>
        <translation>Dành cho Ban Thư ký: nhập mã PIN thoát để đóng Hemicycle trên máy tính bảng này.</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="175"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>Follower</name>
    <message>
        <location filename="../../ui/delegate/follow.py" line="100"/>
        <source>The secretariat</source>
        <extracomment>The region of a presentation as shares of the page (what the reader&apos;s view takes). This delegate presents what their reader shows (they hold the item&apos;s role).</extracomment>
        <translation>Ban Thư ký</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="225"/>
        <source>You are presenting “%1” to the hall: page %2</source>
        <translation>Bạn đang trình chiếu “%1” cho hội trường: trang %2</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="228"/>
        <source>Stop presenting</source>
        <translation>Dừng trình chiếu</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="237"/>
        <source>You may present this document to the hall.</source>
        <translation>Bạn có thể trình chiếu tài liệu này cho hội trường.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="238"/>
        <source>Present to the hall</source>
        <translation>Trình chiếu cho hội trường</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="245"/>
        <source>%1 is presenting a document this device may not open.</source>
        <translation>%1 đang trình chiếu một tài liệu mà thiết bị này không được mở.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="255"/>
        <source>%1 is presenting “%2”, page %3 — tap to follow</source>
        <translation>%1 đang trình chiếu “%2”, trang %3 — chạm để theo dõi</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="267"/>
        <source>Following %1: page %2</source>
        <translation>Đang theo %1: trang %2</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="269"/>
        <source>Following the secretariat: page %2</source>
        <translation>Đang theo Ban Thư ký: trang %2</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="272"/>
        <source>Stop following</source>
        <translation>Thôi theo dõi</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="277"/>
        <source>%1 is presenting “%2”, page %3.</source>
        <translation>%1 đang trình chiếu “%2”, trang %3.</translation>
    </message>
    <message>
        <location filename="../../ui/delegate/follow.py" line="281"/>
        <source>Back to presenter</source>
        <translation>Về trang đang trình chiếu</translation>
    </message>
</context>
<context>
    <name>GateWindow</name>
    <message>
        <location filename="../../ui/startup.py" line="118"/>
        <source>Secretariat console</source>
        <translation>Bảng điều khiển thư ký</translation>
    </message>
    <message>
        <location filename="../../ui/startup.py" line="120"/>
        <source>Meeting documents and agenda</source>
        <translation>Tài liệu và chương trình họp</translation>
    </message>
</context>
<context>
    <name>GraceDialog</name>
    <message>
        <location filename="../../ui/console/dialogs.py" line="191"/>
        <source>Offline reading</source>
        <translation>Đọc khi ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="194"/>
        <source>Documents of “%1” stay readable on a device that has lost contact with the room for:</source>
        <translation>Tài liệu của “%1” vẫn đọc được trên thiết bị mất kết nối với phòng họp trong:</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="200"/>
        <source>At most</source>
        <translation>Tối đa</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="203"/>
        <source> hours</source>
        <translation> giờ</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="213"/>
        <source>Without a limit, only wiping the meeting takes its documents away.</source>
        <translation>Nếu không giới hạn, chỉ việc xoá phiên họp mới thu hồi tài liệu.</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="218"/>
        <source>Delegates may save their own annotated copy (watermarked with their name)</source>
        <translation>Đại biểu được lưu bản có ghi chú của mình (có in chìm tên của họ)</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="222"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="222"/>
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
</context>
<context>
    <name>ItemDialog</name>
    <message>
        <location filename="../../ui/console/dialogs.py" line="384"/>
        <source>Edit agenda item</source>
        <translation>Sửa mục chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="384"/>
        <source>New agenda item</source>
        <translation>Mục chương trình mới</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="391"/>
        <source>automatic</source>
        <translation>tự động</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="397"/>
        <source>HH:MM</source>
        <translation>giờ:phút</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="407"/>
        <source>min</source>
        <translation>phút</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="411"/>
        <source>Number</source>
        <translation>Số thứ tự</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="412"/>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="413"/>
        <source>Description</source>
        <translation>Mô tả</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="414"/>
        <source>Planned start</source>
        <translation>Dự kiến bắt đầu</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="415"/>
        <source>Planned duration</source>
        <translation>Thời lượng dự kiến</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="417"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="417"/>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="417"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="450"/>
        <source>Give the item a title.</source>
        <translation>Hãy nhập tiêu đề cho mục.</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="452"/>
        <source>Write the planned start as hours and minutes, e.g. 08:30.</source>
        <translation>Hãy ghi giờ bắt đầu dự kiến theo dạng giờ:phút, ví dụ 08:30.</translation>
    </message>
</context>
<context>
    <name>Kiosk</name>
    <message>
        <location filename="../../ui/kiosk.py" line="53"/>
        <source>Close the app (secretariat)…</source>
        <translation>Đóng ứng dụng (Ban Thư ký)…</translation>
    </message>
</context>
<context>
    <name>LanguageSwitch</name>
    <message>
        <location filename="../../ui/widgets/language.py" line="53"/>
        <source>Language of the screens</source>
        <translation>Ngôn ngữ hiển thị</translation>
    </message>
</context>
<context>
    <name>ManualVoteDialog</name>
    <message>
        <location filename="../../ui/console/manual_vote.py" line="158"/>
        <source>Record a vote</source>
        <translation>Ghi phiếu</translation>
    </message>
    <message>
        <location filename="../../ui/console/manual_vote.py" line="161"/>
        <source>For a delegate whose device failed: the vote is recorded as given to the secretariat, and marked as such in the published list of “%1”.</source>
        <translation>Cho đại biểu có thiết bị bị hỏng: phiếu được ghi như đại biểu đã báo ban thư ký, và được đánh dấu như vậy trong danh sách công bố của “%1”.</translation>
    </message>
    <message>
        <location filename="../../ui/console/manual_vote.py" line="171"/>
        <source>Their vote</source>
        <translation>Phiếu của đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/manual_vote.py" line="180"/>
        <source>Record the vote…</source>
        <translation>Ghi phiếu…</translation>
    </message>
    <message>
        <location filename="../../ui/console/manual_vote.py" line="180"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/console/manual_vote.py" line="204"/>
        <source>Choose the delegate whose vote this is.</source>
        <translation>Chọn đại biểu có phiếu này.</translation>
    </message>
    <message>
        <location filename="../../ui/console/manual_vote.py" line="207"/>
        <source>Tick their vote.</source>
        <translation>Đánh dấu lựa chọn của đại biểu.</translation>
    </message>
</context>
<context>
    <name>MeetingDialog</name>
    <message>
        <location filename="../../ui/console/dialogs.py" line="301"/>
        <source>New meeting</source>
        <extracomment>The roster groups whose members (and the secretariat) see it; empty: everyone.</extracomment>
        <translation>Phiên họp mới</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="304"/>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="313"/>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="320"/>
        <source>Who sees it</source>
        <translation>Ai được xem</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="322"/>
        <source>Create</source>
        <translation>Tạo</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="322"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="343"/>
        <source>Give the meeting a title.</source>
        <translation>Hãy nhập tiêu đề cho phiên họp.</translation>
    </message>
    <message>
        <location filename="../../ui/console/dialogs.py" line="348"/>
        <source>Tick the groups whose members see this meeting.</source>
        <translation>Hãy đánh dấu các nhóm có thành viên được xem phiên họp này.</translation>
    </message>
</context>
<context>
    <name>MeetingsPanel</name>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="129"/>
        <source>Draft</source>
        <translation>Bản nháp</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="129"/>
        <source>Open</source>
        <translation>Đang họp</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="129"/>
        <source>Closed</source>
        <translation>Đã kết thúc</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="135"/>
        <source>on delegates&apos; screens</source>
        <translation>đang hiển thị cho đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="137"/>
        <source>only %1</source>
        <translation>chỉ dành cho %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="139"/>
        <source>wiped from every device</source>
        <translation>đã xoá khỏi mọi thiết bị</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="142"/>
        <source>offline reading %1 h</source>
        <translation>đọc ngoại tuyến %1 giờ</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="154"/>
        <source>On delegates&apos; screens now</source>
        <translation>Đang hiển thị cho đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="154"/>
        <source>Show to delegates</source>
        <translation>Hiển thị cho đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="159"/>
        <source>Wiped from every device</source>
        <translation>Đã xoá khỏi mọi thiết bị</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="161"/>
        <source>Reopen meeting</source>
        <translation>Mở lại phiên họp</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="163"/>
        <source>Close meeting…</source>
        <translation>Kết thúc phiên họp…</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="166"/>
        <source>Offline reading…</source>
        <translation>Đọc ngoại tuyến…</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="169"/>
        <source>Meetings</source>
        <translation>Các phiên họp</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="170"/>
        <source>New meeting…</source>
        <translation>Phiên họp mới…</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="171"/>
        <source>Show this meeting on the delegates&apos; screens</source>
        <translation>Hiển thị phiên họp này trên màn hình của đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="194"/>
        <source>Meeting created.</source>
        <translation>Đã tạo phiên họp.</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="204"/>
        <source>The delegates&apos; screens now show this meeting.</source>
        <translation>Màn hình của đại biểu đang hiển thị phiên họp này.</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="216"/>
        <source>Meeting reopened.</source>
        <translation>Đã mở lại phiên họp.</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="232"/>
        <source>Meeting closed and wiped from every device.</source>
        <translation>Đã kết thúc phiên họp và xoá khỏi mọi thiết bị.</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="256"/>
        <source>Offline reading changed.</source>
        <translation>Đã đổi thời hạn đọc ngoại tuyến.</translation>
    </message>
    <message>
        <location filename="../../ui/console/meetings_panel.py" line="234"/>
        <source>Meeting closed.</source>
        <translation>Đã kết thúc phiên họp.</translation>
    </message>
</context>
<context>
    <name>NameDialog</name>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="201"/>
        <source>Save as template</source>
        <translation>Lưu thành mẫu</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="202"/>
        <source>Save these rules (and options) as a template named:</source>
        <translation>Lưu các quy tắc (và phương án) này thành mẫu có tên:</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="207"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="207"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="223"/>
        <source>Give the template a name.</source>
        <translation>Hãy đặt tên cho mẫu.</translation>
    </message>
</context>
<context>
    <name>NoteEditor</name>
    <message>
        <location filename="../../ui/reader/note_editor.py" line="94"/>
        <source>Write your note. Only you can read it.</source>
        <extracomment>Characters a note may hold (it must seal within the room&apos;s record limit with its quote).</extracomment>
        <translation>Viết ghi chú. Chỉ bạn đọc được.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/note_editor.py" line="95"/>
        <source>Save note</source>
        <translation>Lưu ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/reader/note_editor.py" line="96"/>
        <source>Delete note</source>
        <translation>Xoá ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/reader/note_editor.py" line="97"/>
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="143"/>
        <source>Highlight</source>
        <extracomment>Characters of a quote or a note shown in a line of the list.</extracomment>
        <translation>Tô sáng</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="144"/>
        <source>Ink</source>
        <translation>Nét bút</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="145"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="146"/>
        <source>Bookmark</source>
        <translation>Đánh dấu trang</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="148"/>
        <source>Page %1</source>
        <translation>Trang %1</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="181"/>
        <source>Not found in this version</source>
        <translation>Không tìm thấy trong phiên bản này</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="192"/>
        <source>Nothing matches your search.</source>
        <translation>Không có gì khớp với nội dung tìm.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="195"/>
        <source>Your highlights, ink, notes and bookmarks are listed here. Only you can read them.</source>
        <translation>Các đoạn tô sáng, nét bút, ghi chú và đánh dấu trang của bạn được liệt kê ở đây. Chỉ bạn đọc được chúng.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="221"/>
        <source>That code did not open your annotations. Type the code shown now.</source>
        <translation>Mã này không mở được ghi chú của bạn. Hãy nhập mã đang hiển thị.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="230"/>
        <source>Your annotations are on another of your devices. On that device, open a document, choose Notes, then “Bring to another device”, and type the code it shows here.</source>
        <translation>Ghi chú của bạn đang ở một thiết bị khác của bạn. Trên thiết bị đó, hãy mở một văn kiện, chọn Ghi chú, rồi “Chuyển sang thiết bị khác”, và nhập mã hiện ra vào đây.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/reader/notes_panel.py" line="236"/>
        <source>%Ln annotation(s) to send when the room is in reach.</source>
        <translation>
            <numerusform>%Ln ghi chú sẽ được gửi khi kết nối được với phòng họp.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="239"/>
        <source>Your annotations are kept on your devices, sealed.</source>
        <translation>Ghi chú của bạn được lưu mã hoá trên các thiết bị của bạn.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="241"/>
        <source>Your annotations are kept on this device until the room is in reach.</source>
        <translation>Ghi chú của bạn được lưu trên thiết bị này cho đến khi kết nối được với phòng họp.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="257"/>
        <source>Type this code on your other device:</source>
        <translation>Nhập mã này trên thiết bị kia của bạn:</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="268"/>
        <source>Search your annotations</source>
        <translation>Tìm trong ghi chú của bạn</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="269"/>
        <source>This document</source>
        <translation>Văn kiện này</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="270"/>
        <source>This meeting</source>
        <translation>Cuộc họp này</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="272"/>
        <source>Use this code</source>
        <translation>Dùng mã này</translation>
    </message>
    <message>
        <location filename="../../ui/reader/notes_panel.py" line="273"/>
        <source>Bring to another device</source>
        <translation>Chuyển sang thiết bị khác</translation>
    </message>
</context>
<context>
    <name>OptionsEditor</name>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="106"/>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="110"/>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="116"/>
        <location filename="../../ui/console/poll_dialog.py" line="117"/>
        <source>Move up</source>
        <translation>Chuyển lên</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="122"/>
        <location filename="../../ui/console/poll_dialog.py" line="123"/>
        <source>Move down</source>
        <translation>Chuyển xuống</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <location filename="../../ui/reader/pageview.py" line="551"/>
        <source>This page cannot be displayed.</source>
        <extracomment>Logical pixels of backdrop around the page. Zoom levels the buttons and keys step through (1.0 = the page at its printed size). Device pixels of a tile&apos;s side. A page image larger than this many device pixels is drawn in tiles. The size of the whole-page image under the tiles. Memory for page images and tiles: about eight fit-width pages of a 1280 px screen (9 MB each), enough for the page read, its tiles and the pages drawn ahead and just read. Until a page has been waited for this long, its blank paper carries no &quot;Loading&quot; text. A sideways swipe turns the page when it pulls it past its side by this share of the view. Mouse wheel travel (in eighths of a degree) past the page&apos;s end that turns it. Painted over the page after it and its search hits: ``(painter, page_rect, page)``.</extracomment>
        <translation>Không thể hiển thị trang này.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/pageview.py" line="553"/>
        <source>Loading page %1…</source>
        <translation>Đang tải trang %1…</translation>
    </message>
</context>
<context>
    <name>PaperCountDialog</name>
    <message>
        <location filename="../../ui/console/paper_count.py" line="50"/>
        <source>Paper ballots</source>
        <extracomment>A weighted poll&apos;s figures are votes, not ballots: as large as a roster&apos;s weights allow.</extracomment>
        <translation>Phiếu giấy</translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="53"/>
        <source>“%1” is run on paper: enter the tellers&apos; count. The poll closes with it and is never opened on the delegates&apos; devices.</source>
        <translation>“%1” được biểu quyết bằng phiếu giấy: nhập kết quả kiểm phiếu. Cuộc biểu quyết kết thúc với kết quả này và không mở trên thiết bị của đại biểu.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/console/paper_count.py" line="59"/>
        <source>Enter the paper ballots the tellers counted for “%1”. They are added to the %Ln vote(s) cast on devices, and the poll closes with them.</source>
        <translation>
            <numerusform>Nhập số phiếu giấy ban kiểm phiếu đã đếm cho “%1”. Chúng được cộng vào %Ln phiếu đã bỏ trên thiết bị, và cuộc biểu quyết kết thúc với chúng.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="69"/>
        <source>A weighted poll: enter votes as weighted, as the tellers counted them.</source>
        <translation>Biểu quyết có trọng số: nhập số phiếu đã tính trọng số, như ban kiểm phiếu đã đếm.</translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="87"/>
        <source>Ballots counted (valid and abstaining)</source>
        <extracomment>option id (0 for a motion) -&gt; answer -&gt; its figure</extracomment>
        <translation>Số phiếu đã đếm (hợp lệ và không biểu quyết)</translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="93"/>
        <source>of which abstaining on every candidate</source>
        <translation>trong đó không biểu quyết cho mọi ứng viên</translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="95"/>
        <source>of which abstaining</source>
        <translation>trong đó không biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="122"/>
        <source>Votes for each option</source>
        <translation>Số phiếu cho từng phương án</translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="132"/>
        <source>Invalid ballots (reported, not counted)</source>
        <translation>Phiếu không hợp lệ (ghi nhận, không tính)</translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="143"/>
        <source>Close with this count…</source>
        <translation>Kết thúc với kết quả này…</translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="143"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="199"/>
        <source>Enter the tellers&apos; figures: no ballot is counted yet.</source>
        <translation>Nhập số liệu của ban kiểm phiếu: chưa có phiếu nào được đếm.</translation>
    </message>
    <message>
        <location filename="../../ui/console/paper_count.py" line="209"/>
        <source>Ballots counted: %1 · abstaining: %2 · invalid: %3</source>
        <translation>Phiếu đã đếm: %1 · không biểu quyết: %2 · không hợp lệ: %3</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../ui/widgets/pin.py" line="165"/>
        <source>OK</source>
        <extracomment>Lines kept for the message under the dots: every message the pad shows fits (wrong PIN, wait before trying again, PINs differ), in English and Vietnamese, at the narrowest pad.</extracomment>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pin.py" line="166"/>
        <location filename="../../ui/widgets/pin.py" line="167"/>
        <source>Erase the last digit</source>
        <translation>Xóa chữ số cuối</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pin.py" line="168"/>
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
</context>
<context>
    <name>PinSetupPage</name>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="695"/>
        <source>The two PINs are different. Choose your PIN again.</source>
        <translation>Hai mã PIN không giống nhau. Hãy chọn lại mã PIN.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="700"/>
        <source>Choose a PIN</source>
        <translation>Chọn mã PIN</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="702"/>
        <source>Choose a PIN of %1 to %2 digits. You will type it to open the app.</source>
        <translation>Chọn mã PIN gồm %1 đến %2 chữ số. Mã này dùng để mở ứng dụng.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="706"/>
        <source>Type the same PIN again to confirm it.</source>
        <translation>Nhập lại mã PIN một lần nữa để xác nhận.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="709"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
</context>
<context>
    <name>PollDialog</name>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="252"/>
        <source>New poll</source>
        <translation>Cuộc biểu quyết mới</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="268"/>
        <source>Save as template…</source>
        <translation>Lưu thành mẫu…</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="278"/>
        <source>Template</source>
        <translation>Mẫu</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="287"/>
        <source>Question</source>
        <translation>Nội dung biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="290"/>
        <source>No agenda item</source>
        <translation>Không gắn mục chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="295"/>
        <source>Agenda item</source>
        <translation>Mục chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="300"/>
        <source>Motion: yes, no or abstain</source>
        <translation>Biểu quyết: tán thành, không tán thành hoặc không biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="301"/>
        <source>One choice among options</source>
        <translation>Chọn một trong các phương án</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="302"/>
        <source>Election: choose up to N candidates</source>
        <translation>Bầu cử: chọn tối đa N ứng viên</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="303"/>
        <source>Yes or no on each candidate</source>
        <translation>Tán thành hay không với từng ứng viên</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="306"/>
        <source>Kind</source>
        <translation>Hình thức</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="307"/>
        <location filename="../../ui/console/poll_dialog.py" line="659"/>
        <source>Options</source>
        <translation>Phương án</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="318"/>
        <source>each ballot chooses at least</source>
        <translation>mỗi phiếu chọn ít nhất</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="320"/>
        <source>Seats</source>
        <translation>Số người được bầu</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="328"/>
        <source>Named (roll call)</source>
        <translation>Công khai (điểm danh)</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="329"/>
        <source>Secret</source>
        <translation>Kín</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="335"/>
        <source>Ballot</source>
        <translation>Phiếu</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="337"/>
        <source>Abstaining is allowed</source>
        <translation>Cho phép không biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="340"/>
        <source>A vote may be changed until the poll closes (named only)</source>
        <translation>Được đổi phiếu cho đến khi kết thúc (chỉ biểu quyết công khai)</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="343"/>
        <source>Weighted: each delegate&apos;s weight in the roster</source>
        <translation>Có trọng số: theo trọng số của từng đại biểu trong danh sách</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="353"/>
        <source>Simple majority</source>
        <translation>Đa số tương đối</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="354"/>
        <source>Absolute majority (more than half)</source>
        <translation>Đa số tuyệt đối (quá nửa)</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="355"/>
        <source>Two-thirds majority</source>
        <translation>Đa số hai phần ba</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="356"/>
        <source>A share of at least</source>
        <translation>Tỷ lệ ít nhất</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="362"/>
        <source>of</source>
        <translation>trên</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="365"/>
        <source>the votes cast</source>
        <translation>số phiếu bầu</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="366"/>
        <source>the valid votes (abstentions left out)</source>
        <translation>số phiếu hợp lệ (không tính phiếu không biểu quyết)</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="367"/>
        <source>the members present</source>
        <translation>số thành viên có mặt</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="368"/>
        <source>all members</source>
        <translation>tổng số thành viên</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="371"/>
        <source>more yes than no, or the most votes</source>
        <translation>tán thành nhiều hơn không tán thành, hoặc nhiều phiếu nhất</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="385"/>
        <source>Majority</source>
        <translation>Đa số</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="386"/>
        <source>Abstentions count among the votes cast</source>
        <translation>Tính phiếu không biểu quyết vào số phiếu bầu</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="394"/>
        <source>No quorum</source>
        <translation>Không yêu cầu túc số</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="395"/>
        <source>A share of all members</source>
        <translation>Tỷ lệ trên tổng số thành viên</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="396"/>
        <source>A number of members</source>
        <translation>Số thành viên</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="403"/>
        <source>present or represented</source>
        <translation>có mặt hoặc được ủy quyền</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="416"/>
        <source>Quorum</source>
        <translation>Túc số</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="422"/>
        <source>Every delegate with a voting right</source>
        <translation>Mọi đại biểu có quyền biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="423"/>
        <source>Only those of these groups:</source>
        <translation>Chỉ thành viên các nhóm:</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="424"/>
        <source>Who votes</source>
        <translation>Ai biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="433"/>
        <source>Closes by itself after</source>
        <translation>Tự kết thúc sau</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="435"/>
        <source>min</source>
        <translation>phút</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="437"/>
        <source>s</source>
        <translation>giây</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="439"/>
        <source>Time limit</source>
        <translation>Thời hạn</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="453"/>
        <source>Create the poll</source>
        <translation>Tạo cuộc biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="453"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="512"/>
        <source>Approve the agenda</source>
        <translation>Thông qua chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="513"/>
        <source>Adopt the resolution</source>
        <translation>Thông qua nghị quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="514"/>
        <source>Elect the committee</source>
        <translation>Bầu ban</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="536"/>
        <source>None: rules set by hand</source>
        <translation>Không: tự đặt quy tắc</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="659"/>
        <source>Candidates</source>
        <translation>Ứng viên</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="661"/>
        <source>A candidate&apos;s name, then Add</source>
        <translation>Tên ứng viên, rồi bấm Thêm</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="661"/>
        <source>An option, then Add</source>
        <translation>Một phương án, rồi bấm Thêm</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="747"/>
        <source>Write the question the delegates vote on.</source>
        <translation>Hãy ghi nội dung đại biểu biểu quyết.</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="751"/>
        <source>Option %1 has no name.</source>
        <translation>Phương án %1 chưa có tên.</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="753"/>
        <source>Tick the groups whose members vote.</source>
        <translation>Đánh dấu các nhóm có thành viên được biểu quyết.</translation>
    </message>
    <message>
        <location filename="../../ui/console/poll_dialog.py" line="756"/>
        <source>A time limit is between 10 seconds and 24 hours.</source>
        <translation>Thời hạn từ 10 giây đến 24 giờ.</translation>
    </message>
</context>
<context>
    <name>PollWords</name>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="19"/>
        <source>Draft</source>
        <translation>Bản nháp</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="20"/>
        <source>Open</source>
        <translation>Đang họp</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="21"/>
        <source>Closed</source>
        <translation>Đã kết thúc</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="22"/>
        <source>Cancelled</source>
        <translation>Đã hủy</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="28"/>
        <source>Motion</source>
        <translation>Biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="30"/>
        <source>One choice of %1</source>
        <translation>Chọn một trong %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="35"/>
        <source>Election: %1 of %2</source>
        <translation>Bầu cử: %1 trong %2</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="40"/>
        <source>Yes or no on each candidate: %1 seats of %2</source>
        <translation>Tán thành hay không với từng ứng viên: %1 người trong %2</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="48"/>
        <source>secret</source>
        <translation>kín</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="50"/>
        <source>named</source>
        <translation>công khai</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="56"/>
        <source>simple majority</source>
        <translation>đa số tương đối</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="58"/>
        <source>more than half</source>
        <translation>quá nửa</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="59"/>
        <source>two thirds</source>
        <translation>hai phần ba</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="60"/>
        <source>at least %1/%2</source>
        <translation>ít nhất %1/%2</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="65"/>
        <source>of the votes cast</source>
        <translation>số phiếu bầu</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="67"/>
        <source>of the votes cast, abstentions left out</source>
        <translation>số phiếu bầu, không tính phiếu không biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="68"/>
        <source>of the valid votes</source>
        <translation>số phiếu hợp lệ</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="69"/>
        <source>of the members present</source>
        <translation>số thành viên có mặt</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="70"/>
        <source>of all members</source>
        <translation>tổng số thành viên</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="77"/>
        <source>no quorum</source>
        <translation>không yêu cầu túc số</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="79"/>
        <source>quorum: %1 members</source>
        <translation>túc số: %1 thành viên</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="83"/>
        <source>quorum: %1/%2 of the members</source>
        <translation>túc số: %1/%2 tổng số thành viên</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="95"/>
        <source>groups: %1</source>
        <translation>nhóm: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="100"/>
        <source>weighted</source>
        <translation>có trọng số</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="102"/>
        <source>votes may be changed</source>
        <translation>được đổi phiếu</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="104"/>
        <source>no abstaining</source>
        <translation>không được bỏ phiếu trắng</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="107"/>
        <source>time limit %1</source>
        <translation>thời hạn %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="124"/>
        <source>Yes</source>
        <translation>Tán thành</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="125"/>
        <source>No</source>
        <translation>Không tán thành</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="126"/>
        <source>Abstain</source>
        <translation>Không biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="148"/>
        <source>adopted</source>
        <translation>được thông qua</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="149"/>
        <source>rejected</source>
        <translation>không được thông qua</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="150"/>
        <source>not quorate</source>
        <translation>không đủ túc số</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="151"/>
        <source>elected</source>
        <translation>trúng cử</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="152"/>
        <source>tie</source>
        <translation>ngang phiếu</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="153"/>
        <source>no result</source>
        <translation>không có kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="168"/>
        <source>Adopted</source>
        <translation>Được thông qua</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="170"/>
        <source>Rejected</source>
        <translation>Không được thông qua</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="173"/>
        <source>Not quorate: %1 present or represented, %2 needed</source>
        <translation>Không đủ túc số: %1 có mặt hoặc được ủy quyền, cần %2</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="180"/>
        <source>Elected: %1</source>
        <translation>Trúng cử: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="185"/>
        <source>Tie: as many yes as no, not adopted</source>
        <translation>Ngang phiếu: số tán thành bằng số không tán thành, không được thông qua</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="188"/>
        <source>Elected: %1 · tie for the last seat: %2</source>
        <translation>Trúng cử: %1 · ngang phiếu ở vị trí cuối: %2</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="192"/>
        <source>Tie between %1</source>
        <translation>Ngang phiếu giữa %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="195"/>
        <source>No result: no one reached the votes needed</source>
        <translation>Không có kết quả: không ai đạt số phiếu cần thiết</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="204"/>
        <source>Votes cast</source>
        <translation>Số phiếu bầu</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="205"/>
        <source>Valid</source>
        <translation>Hợp lệ</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="206"/>
        <source>Abstentions</source>
        <translation>Không biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="207"/>
        <source>Present or represented</source>
        <translation>Có mặt hoặc được ủy quyền</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="208"/>
        <source>Members</source>
        <translation>Thành viên</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="214"/>
        <source>Of them on paper</source>
        <translation>Trong đó phiếu giấy</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="220"/>
        <source>Invalid, not counted</source>
        <translation>Không hợp lệ, không tính</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="226"/>
        <source>Quorum needed</source>
        <translation>Túc số cần</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/poll_words.py" line="231"/>
        <source>Votes needed</source>
        <translation>Số phiếu cần</translation>
    </message>
</context>
<context>
    <name>PollsPanel</name>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="455"/>
        <source>%1 voted</source>
        <translation>%1 đã biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="464"/>
        <source>No meeting selected</source>
        <translation>Chưa chọn phiên họp</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="475"/>
        <source>Select a meeting to see its polls.</source>
        <translation>Chọn một phiên họp để xem các cuộc biểu quyết.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="477"/>
        <source>No poll in this meeting yet: New poll… prepares one.</source>
        <translation>Phiên họp này chưa có cuộc biểu quyết nào: bấm Cuộc biểu quyết mới… để chuẩn bị.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="499"/>
        <source>Agenda item %1</source>
        <translation>Mục chương trình %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="504"/>
        <source>Cancelled: not counted, and its votes were discarded.</source>
        <translation>Đã hủy: không kiểm phiếu, các phiếu đã bỏ bị loại.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="506"/>
        <source>Draft: check the rules, then open it.</source>
        <translation>Bản nháp: kiểm tra quy tắc rồi mở.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="525"/>
        <source>Voted %1 of %2 eligible</source>
        <translation>Đã biểu quyết %1 trên %2 người có quyền</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="535"/>
        <source>Secret ballot: only how many have voted is known until it closes. The room counts the votes when it closes; no one sees a result before.</source>
        <translation>Bỏ phiếu kín: cho đến khi kết thúc chỉ biết số người đã bỏ phiếu. Phòng họp kiểm phiếu khi kết thúc; không ai thấy kết quả trước đó.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="551"/>
        <source>by proxy: %1</source>
        <translation>qua ủy quyền: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="557"/>
        <source>Not voted yet: %1</source>
        <translation>Chưa biểu quyết: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="559"/>
        <source>Everyone eligible has voted.</source>
        <translation>Mọi người có quyền đã biểu quyết.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="574"/>
        <source>Closes in %1</source>
        <translation>Kết thúc sau %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="577"/>
        <source>Time is up: the room is closing it.</source>
        <translation>Hết giờ: phòng họp đang kết thúc cuộc biểu quyết.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="608"/>
        <source>Signed by the room: the signature checks out with the room key this console trusts.</source>
        <translation>Đã được phòng họp ký: chữ ký khớp với khóa phòng họp mà bàn điều khiển này tin cậy.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="613"/>
        <source>The room&apos;s signature does not check out with the room key this console trusts: do not announce this result; tell the technical staff.</source>
        <translation>Chữ ký của phòng họp không khớp với khóa mà bàn điều khiển này tin cậy: đừng công bố kết quả này; hãy báo bộ phận kỹ thuật.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="634"/>
        <source>Who voted what</source>
        <translation>Ai biểu quyết thế nào</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="636"/>
        <source>Fetching the published list of votes…</source>
        <translation>Đang tải danh sách phiếu công bố…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/console/polls_panel.py" line="642"/>
        <source>The published list of %Ln vote(s) is the one the room signed.</source>
        <translation>
            <numerusform>Danh sách %Ln phiếu đã công bố đúng là danh sách phòng họp đã ký.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="645"/>
        <source>The published list of votes is not the one the room signed: do not announce this result; tell the technical staff.</source>
        <translation>Danh sách phiếu công bố không phải danh sách phòng họp đã ký: đừng công bố kết quả này; hãy báo bộ phận kỹ thuật.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="662"/>
        <source>by the secretariat</source>
        <translation>do ban thư ký ghi</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="662"/>
        <source>own device</source>
        <translation>từ thiết bị của đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="688"/>
        <source>The room&apos;s list of votes cannot be trusted: %1</source>
        <translation>Không thể tin danh sách phiếu của phòng họp: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="693"/>
        <source>The published list of votes could not be fetched: the room did not answer. It is fetched again once the room is reachable.</source>
        <translation>Không tải được danh sách phiếu công bố: phòng họp không trả lời. Sẽ tải lại khi kết nối được phòng họp.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="721"/>
        <source>Open the meeting first: a poll opens in an open meeting.</source>
        <translation>Hãy mở phiên họp trước: cuộc biểu quyết chỉ mở trong phiên họp đang mở.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="747"/>
        <source>New poll…</source>
        <translation>Cuộc biểu quyết mới…</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="748"/>
        <source>Open</source>
        <translation>Đang họp</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="749"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="750"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="751"/>
        <source>Close with paper ballots…</source>
        <translation>Kết thúc với phiếu giấy…</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="752"/>
        <source>Record a vote…</source>
        <translation>Ghi phiếu…</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="753"/>
        <source>Runoff between the tied…</source>
        <translation>Bầu lại giữa những người ngang phiếu…</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="803"/>
        <source>Poll prepared: open it when the room is ready to vote.</source>
        <translation>Đã chuẩn bị cuộc biểu quyết: mở khi hội trường sẵn sàng.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="815"/>
        <source>%1 — runoff</source>
        <translation>%1 — bầu lại</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="824"/>
        <source>Poll open: the delegates can vote.</source>
        <translation>Đã mở biểu quyết: đại biểu có thể bỏ phiếu.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="836"/>
        <location filename="../../ui/console/polls_panel.py" line="841"/>
        <location filename="../../ui/console/polls_panel.py" line="869"/>
        <location filename="../../ui/console/polls_panel.py" line="878"/>
        <source>Close the poll</source>
        <translation>Kết thúc biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="838"/>
        <source>Close “%1” now? Voting stops, and the room counts the votes and signs the result. This cannot be undone.</source>
        <translation>Kết thúc “%1” ngay? Việc bỏ phiếu dừng lại, phòng họp kiểm phiếu và ký kết quả. Không thể hoàn tác.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="842"/>
        <source>Keep it open</source>
        <translation>Giữ phiên họp</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="847"/>
        <source>Poll closed and counted.</source>
        <translation>Đã kết thúc và kiểm phiếu.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="871"/>
        <source>Close “%1” with %2 paper ballots (%3 invalid)? Voting stops, and the room counts them with the devices&apos; votes and signs the result. This cannot be undone.</source>
        <translation>Kết thúc “%1” với %2 phiếu giấy (%3 không hợp lệ)? Việc bỏ phiếu dừng lại, phòng họp kiểm chúng cùng phiếu trên thiết bị và ký kết quả. Không thể hoàn tác.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="879"/>
        <source>Do not close it</source>
        <translation>Không kết thúc</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="884"/>
        <source>Poll closed and counted with its paper ballots.</source>
        <translation>Đã kết thúc và kiểm phiếu cùng phiếu giấy.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="896"/>
        <location filename="../../ui/console/polls_panel.py" line="901"/>
        <source>Cancel the poll</source>
        <translation>Hủy cuộc biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="898"/>
        <source>Cancel “%1”? It is not counted, and any votes already cast are discarded. This cannot be undone.</source>
        <translation>Hủy “%1”? Cuộc biểu quyết không được kiểm phiếu và các phiếu đã bỏ bị loại. Không thể hoàn tác.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="902"/>
        <source>Keep it</source>
        <translation>Giữ lại</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="907"/>
        <source>Poll cancelled.</source>
        <translation>Đã hủy cuộc biểu quyết.</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="931"/>
        <source>Record a vote</source>
        <translation>Ghi phiếu</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="932"/>
        <source>Record “%1” as the vote of %2 in “%3”?</source>
        <translation>Ghi “%1” là phiếu của %2 trong “%3”?</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="936"/>
        <source>Record the vote</source>
        <translation>Ghi phiếu</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="937"/>
        <source>Do not record it</source>
        <translation>Không ghi</translation>
    </message>
    <message>
        <location filename="../../ui/console/polls_panel.py" line="943"/>
        <source>Vote recorded for %1.</source>
        <translation>Đã ghi phiếu cho %1.</translation>
    </message>
</context>
<context>
    <name>PresenterRoleDialog</name>
    <message>
        <location filename="../../ui/console/presenter.py" line="136"/>
        <source>Presenter of an agenda item</source>
        <translation>Người trình bày của một mục chương trình</translation>
    </message>
    <message>
        <location filename="../../ui/console/presenter.py" line="140"/>
        <source>Who may present the documents of “%1” to the hall from their own tablet? The secretariat always may.</source>
        <translation>Ai được trình chiếu tài liệu của “%1” cho hội trường từ máy tính bảng của mình? Ban Thư ký luôn được trình chiếu.</translation>
    </message>
    <message>
        <location filename="../../ui/console/presenter.py" line="148"/>
        <source>Presenter now: %1</source>
        <translation>Người trình bày hiện tại: %1</translation>
    </message>
    <message>
        <location filename="../../ui/console/presenter.py" line="150"/>
        <source>No delegate presents this item now.</source>
        <translation>Hiện không có đại biểu nào trình bày mục này.</translation>
    </message>
    <message>
        <location filename="../../ui/console/presenter.py" line="155"/>
        <source>Give the role</source>
        <translation>Giao vai trò</translation>
    </message>
    <message>
        <location filename="../../ui/console/presenter.py" line="162"/>
        <source>Take the role back</source>
        <translation>Thu hồi vai trò</translation>
    </message>
    <message>
        <location filename="../../ui/console/presenter.py" line="167"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>PresenterWindow</name>
    <message>
        <location filename="../../ui/console/presenter.py" line="77"/>
        <source>Opening “%1”…</source>
        <translation>Đang mở “%1”…</translation>
    </message>
    <message>
        <location filename="../../ui/console/presenter.py" line="81"/>
        <source>Stop presenting</source>
        <translation>Dừng trình chiếu</translation>
    </message>
    <message>
        <location filename="../../ui/console/presenter.py" line="93"/>
        <source>Presenting to the hall: the delegates following see this page.</source>
        <translation>Đang trình chiếu cho hội trường: các đại biểu đang theo dõi thấy trang này.</translation>
    </message>
    <message>
        <location filename="../../ui/console/presenter.py" line="104"/>
        <source>Presenting page %1.</source>
        <translation>Đang trình chiếu trang %1.</translation>
    </message>
    <message>
        <location filename="../../ui/console/presenter.py" line="115"/>
        <source>The presentation has ended.</source>
        <translation>Đã kết thúc trình chiếu.</translation>
    </message>
</context>
<context>
    <name>ProxyDialog</name>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="368"/>
        <source>Give a proxy</source>
        <translation>Ghi ủy quyền</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="370"/>
        <source>Who carries the vote of %1 at this meeting?</source>
        <translation>Ai mang phiếu của %1 tại phiên họp này?</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="381"/>
        <source>A delegate who holds a proxy cannot give theirs, and one who gave theirs holds none: they are not listed.</source>
        <translation>Đại biểu đang giữ ủy quyền không thể ủy quyền cho người khác, và người đã ủy quyền không giữ ủy quyền: họ không có trong danh sách.</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="388"/>
        <source>Give the proxy</source>
        <translation>Ghi ủy quyền</translation>
    </message>
    <message>
        <location filename="../../ui/console/attendance_panel.py" line="394"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>ReaderWindow</name>
    <message>
        <location filename="../../ui/reader/window.py" line="465"/>
        <source>Page %1</source>
        <extracomment>How long the banner saying the renderer was restarted stays up. Below this width (logical px: a 10&quot; tablet at 150 % is about 850 px) the contents or the thumbnails leave room for the page again once one has chosen where to go. Changed pages listed one by one in the revision banner, up to this many. The delegate turned the page or zoomed by their own hand (not :meth:`follow`). The presenter bar&apos;s button was tapped. The delegate&apos;s annotated copy, watermarked (bytes of a PDF), for the app to save. Where :meth:`follow` asked to go, kept until the document is open.</extracomment>
        <translation>Trang %1</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="472"/>
        <source>Bookmarked</source>
        <translation>Đã đánh dấu</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="472"/>
        <source>Bookmark this page</source>
        <translation>Đánh dấu trang này</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="535"/>
        <location filename="../../ui/reader/window.py" line="774"/>
        <source>of %1</source>
        <translation>/ %1</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="591"/>
        <source>The page display stopped unexpectedly and has been restarted. Nothing was lost.</source>
        <translation>Phần hiển thị trang đã dừng bất ngờ và đã được khởi động lại. Không có gì bị mất.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="600"/>
        <source>A revised version of this document has arrived.</source>
        <translation>Đã nhận được bản sửa đổi của văn kiện này.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="602"/>
        <source>A revised version has arrived: page %1 changed.</source>
        <translation>Đã nhận được bản sửa đổi: trang %1 có thay đổi.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="606"/>
        <source>A revised version has arrived: pages %1 changed.</source>
        <translation>Đã nhận được bản sửa đổi: các trang %1 có thay đổi.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="610"/>
        <source>A revised version has arrived: %1 pages changed.</source>
        <translation>Đã nhận được bản sửa đổi: %1 trang có thay đổi.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="737"/>
        <source>This document has been withdrawn by the secretariat.</source>
        <translation>Văn kiện này đã được Ban Thư ký thu hồi.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="738"/>
        <source>This document cannot be opened: the file is damaged.</source>
        <translation>Không thể mở văn kiện này: tệp bị hỏng.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="739"/>
        <source>This document cannot be opened: it is protected by a password.</source>
        <translation>Không thể mở văn kiện này: văn kiện được bảo vệ bằng mật khẩu.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="740"/>
        <source>This document has no pages.</source>
        <translation>Văn kiện này không có trang nào.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="742"/>
        <source>This document cannot be displayed: the page display keeps stopping on it. Please tell the secretariat.</source>
        <translation>Không thể hiển thị văn kiện này: phần hiển thị trang liên tục bị dừng khi mở văn kiện. Vui lòng báo cho Ban Thư ký.</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="750"/>
        <location filename="../../ui/reader/window.py" line="771"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="751"/>
        <source>Search</source>
        <translation>Tìm kiếm</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="752"/>
        <source>Contents</source>
        <translation>Mục lục</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="753"/>
        <source>Pages</source>
        <translation>Các trang</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="754"/>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="755"/>
        <source>Read</source>
        <translation>Đọc</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="756"/>
        <source>Highlight</source>
        <translation>Tô sáng</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="757"/>
        <source>Pen</source>
        <translation>Bút</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="758"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="759"/>
        <source>Save my annotated copy…</source>
        <translation>Lưu bản có ghi chú của tôi…</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="761"/>
        <source>Previous page</source>
        <translation>Trang trước</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="762"/>
        <source>Next page</source>
        <translation>Trang sau</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="763"/>
        <source>Type a page number to go to it</source>
        <translation>Nhập số trang để chuyển đến trang đó</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="764"/>
        <source>Zoom in</source>
        <translation>Phóng to</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="765"/>
        <source>Zoom out</source>
        <translation>Thu nhỏ</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="766"/>
        <source>Fit width</source>
        <translation>Vừa chiều rộng</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="767"/>
        <source>Whole page</source>
        <translation>Cả trang</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="768"/>
        <source>Dark pages</source>
        <translation>Nền tối</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="769"/>
        <source>Changed</source>
        <translation>Đã sửa</translation>
    </message>
    <message>
        <location filename="../../ui/reader/window.py" line="770"/>
        <source>This page changed in the revised version</source>
        <translation>Trang này đã thay đổi trong bản sửa đổi</translation>
    </message>
</context>
<context>
    <name>ReadinessModel</name>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="105"/>
        <source>No device</source>
        <extracomment>How often the board asks the room while it is shown.</extracomment>
        <translation>Chưa có thiết bị</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="107"/>
        <source>Ready</source>
        <translation>Sẵn sàng</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="110"/>
        <source>%1 % (%2 of %3)</source>
        <translation>%1 % (%2 / %3)</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="123"/>
        <source>just now</source>
        <translation>vừa xong</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="125"/>
        <source>%1 min ago</source>
        <translation>%1 phút trước</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="127"/>
        <source>%1 h ago</source>
        <translation>%1 giờ trước</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="155"/>
        <source>Device %1: %2 of %3</source>
        <translation>Thiết bị %1: %2 / %3</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="170"/>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="171"/>
        <source>Name</source>
        <translation>Họ tên</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="172"/>
        <source>Delegation</source>
        <translation>Đoàn</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="173"/>
        <source>Documents held</source>
        <translation>Tài liệu đã có</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="174"/>
        <source>Last report</source>
        <translation>Báo cáo gần nhất</translation>
    </message>
</context>
<context>
    <name>ReadinessPanel</name>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="406"/>
        <source>Select a meeting to see who holds its documents.</source>
        <translation>Chọn một phiên họp để xem ai đã có tài liệu của phiên.</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="409"/>
        <source>%1: %2 of %3 delegates hold all its documents; %4 have no device.</source>
        <translation>%1: %2 / %3 đại biểu đã có đủ tài liệu; %4 đại biểu chưa có thiết bị.</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="416"/>
        <source>Not ready (%1)</source>
        <translation>Chưa sẵn sàng (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="417"/>
        <source>Ready (%1)</source>
        <translation>Sẵn sàng (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="418"/>
        <source>All (%1)</source>
        <translation>Tất cả (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="423"/>
        <source>Showing %1 of %2 delegates</source>
        <translation>Đang hiển thị %1 / %2 đại biểu</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="429"/>
        <source>Readiness</source>
        <translation>Sẵn sàng tài liệu</translation>
    </message>
    <message>
        <location filename="../../ui/console/readiness_panel.py" line="430"/>
        <source>Search by number or name</source>
        <translation>Tìm theo số hoặc họ tên</translation>
    </message>
</context>
<context>
    <name>Requests</name>
    <message>
        <location filename="../../ui/console/panel.py" line="60"/>
        <source>Sending…</source>
        <extracomment>A message for the window&apos;s message line: a callable, so it follows a language switch.</extracomment>
        <translation>Đang gửi…</translation>
    </message>
</context>
<context>
    <name>ResultChart</name>
    <message>
        <location filename="../../ui/widgets/result_chart.py" line="53"/>
        <source>elected</source>
        <extracomment>&quot;elected&quot;, &quot;adopted&quot;, &quot;tied&quot; or &quot;&quot; — drawn as a word after the figures.</extracomment>
        <translation>trúng cử</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/result_chart.py" line="54"/>
        <source>adopted</source>
        <translation>được thông qua</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/result_chart.py" line="55"/>
        <source>tied</source>
        <translation>ngang phiếu</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/result_chart.py" line="66"/>
        <location filename="../../ui/widgets/result_chart.py" line="248"/>
        <source>Yes</source>
        <translation>Tán thành</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/result_chart.py" line="70"/>
        <location filename="../../ui/widgets/result_chart.py" line="249"/>
        <source>No</source>
        <translation>Không tán thành</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/result_chart.py" line="75"/>
        <location filename="../../ui/widgets/result_chart.py" line="250"/>
        <source>Abstain</source>
        <translation>Không biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/result_chart.py" line="112"/>
        <source>Abstained</source>
        <translation>Không biểu quyết</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/result_chart.py" line="237"/>
        <source>needed: %1</source>
        <translation>cần: %1</translation>
    </message>
</context>
<context>
    <name>RoomPage</name>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="267"/>
        <source>Room ID %1</source>
        <extracomment>A message that can be re-rendered in the new language when the language changes.</extracomment>
        <translation>Mã phòng %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="355"/>
        <source>Type an address such as 192.168.1.10.</source>
        <translation>Hãy nhập một địa chỉ, ví dụ 192.168.1.10.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="358"/>
        <source>The port is a number from 1 to 65535.</source>
        <translation>Cổng là một số từ 1 đến 65535.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="389"/>
        <source>Rooms cannot be found automatically on this network. Type the address of the room server below, or continue with your code alone.</source>
        <translation>Không thể tự động tìm phòng họp trên mạng này. Hãy nhập địa chỉ máy chủ phòng họp ở dưới, hoặc tiếp tục chỉ với mã đăng ký.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="394"/>
        <source>Searching for rooms on this network…</source>
        <translation>Đang tìm phòng họp trên mạng này…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="396"/>
        <source>Rooms found on this network:</source>
        <translation>Các phòng họp tìm thấy trên mạng này:</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="399"/>
        <source>Choose your room</source>
        <translation>Chọn phòng họp</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="403"/>
        <source>This tablet is prepared for the room with ID %1: check that it matches the one printed on your card.</source>
        <translation>Máy tính bảng này đã được thiết lập cho phòng họp có mã %1: hãy kiểm tra mã này trùng với mã in trên thẻ của bạn.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="407"/>
        <source>This tablet is prepared for your room.</source>
        <translation>Máy tính bảng này đã được thiết lập cho phòng họp của bạn.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="409"/>
        <source>Its address is filled in: tap Next.</source>
        <translation>Địa chỉ đã được điền sẵn: hãy nhấn Tiếp theo.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="414"/>
        <source>Pick the room of your meeting. Check that its room ID matches the one printed on your card.</source>
        <translation>Chọn phòng nơi diễn ra cuộc họp. Hãy kiểm tra mã phòng trùng khớp với mã in trên thẻ.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="418"/>
        <source>Type the address instead</source>
        <translation>Nhập địa chỉ thủ công</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="419"/>
        <source>Server address</source>
        <translation>Địa chỉ máy chủ</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="420"/>
        <source>Port</source>
        <translation>Cổng</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="421"/>
        <source>optional</source>
        <translation>không bắt buộc</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="422"/>
        <source>Skip: my code is enough</source>
        <translation>Bỏ qua: chỉ dùng mã đăng ký</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/enroll.py" line="423"/>
        <source>Next</source>
        <translation>Tiếp theo</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <location filename="../../ui/reader/search.py" line="262"/>
        <source>Hit %1 of %2</source>
        <extracomment>The pause after the last key typed before searching.</extracomment>
        <translation>Kết quả %1 / %2</translation>
    </message>
    <message>
        <location filename="../../ui/reader/search.py" line="265"/>
        <source>1 hit</source>
        <translation>1 kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/reader/search.py" line="267"/>
        <source>%1 hits</source>
        <translation>%1 kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/reader/search.py" line="269"/>
        <source>Not found</source>
        <translation>Không tìm thấy</translation>
    </message>
    <message>
        <location filename="../../ui/reader/search.py" line="275"/>
        <source>%1 · searching… %2 %</source>
        <translation>%1 · đang tìm… %2 %</translation>
    </message>
    <message>
        <location filename="../../ui/reader/search.py" line="277"/>
        <source>Searching… %1 %</source>
        <translation>Đang tìm… %1 %</translation>
    </message>
    <message>
        <location filename="../../ui/reader/search.py" line="281"/>
        <source>Search in the document</source>
        <translation>Tìm trong văn kiện</translation>
    </message>
    <message>
        <location filename="../../ui/reader/search.py" line="282"/>
        <source>Previous hit</source>
        <translation>Kết quả trước</translation>
    </message>
    <message>
        <location filename="../../ui/reader/search.py" line="283"/>
        <source>Next hit</source>
        <translation>Kết quả sau</translation>
    </message>
    <message>
        <location filename="../../ui/reader/search.py" line="284"/>
        <source>Done</source>
        <translation>Xong</translation>
    </message>
</context>
<context>
    <name>StatusIndicator</name>
    <message>
        <location filename="../../ui/widgets/status.py" line="118"/>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status.py" line="120"/>
        <source>Reconnecting…</source>
        <translation>Đang kết nối lại…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status.py" line="120"/>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status.py" line="123"/>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status.py" line="128"/>
        <source>Never synced</source>
        <translation>Chưa đồng bộ lần nào</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status.py" line="132"/>
        <location filename="../../ui/widgets/status.py" line="134"/>
        <source>Last synced %1</source>
        <translation>Đồng bộ lần cuối %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status.py" line="24"/>
        <source>never synced</source>
        <translation>chưa đồng bộ lần nào</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status.py" line="27"/>
        <source>last synced under a minute ago</source>
        <translation>đồng bộ lần cuối chưa đến một phút trước</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status.py" line="29"/>
        <source>last synced %1 min ago</source>
        <translation>đồng bộ lần cuối %1 phút trước</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status.py" line="34"/>
        <source>last synced %1 h %2 min ago</source>
        <translation>đồng bộ lần cuối %1 giờ %2 phút trước</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status.py" line="39"/>
        <source>last synced on %1</source>
        <translation>đồng bộ lần cuối lúc %1</translation>
    </message>
</context>
<context>
    <name>ThumbnailStrip</name>
    <message>
        <location filename="../../ui/reader/thumbnails.py" line="201"/>
        <source>Changed</source>
        <extracomment>Logical width of a thumbnail image. Room under a thumbnail for its page number. How long the strip waits, once it stops moving, before it asks for what it shows.</extracomment>
        <translation>Đã sửa</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <location filename="../../ui/widgets/unlock.py" line="150"/>
        <source>%1 — delegate no. %2</source>
        <extracomment>Below this height (logical px) the PIN pad goes side by side with its dots.</extracomment>
        <translation>%1 — đại biểu số %2</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/unlock.py" line="155"/>
        <source>Secretariat device</source>
        <translation>Thiết bị của Ban Thư ký</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/unlock.py" line="158"/>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/unlock.py" line="158"/>
        <source>Enter your PIN</source>
        <translation>Nhập mã PIN</translation>
    </message>
</context>
</TS>
