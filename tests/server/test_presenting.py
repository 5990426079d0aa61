"""Presenting through the protocol, against the real server: the secretariat and an item's
presenter show a page and a region, followers inside and outside a restricted document's groups
get it (the outsider never the document), the presenter role given and taken back, and a
presentation ending with its document or its meeting."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app import protocol as p
from tests.conftest import ServerThread
from tests.pdfs import make_pdf
from tests.server.test_documents import GROUP, _member_and_outsider
from tests.server.test_server import Recorder, enrolled, until
from tests.server.test_votes import ask, refused

ZOOMED = p.Region(x=2_500, y=5_000, w=5_000, h=2_500)


def test_followers_get_each_page_and_an_outsider_only_that_something_is_presented(
    server: ServerThread, tmp_path: Path
) -> None:
    room = server.room
    inside, outside = _member_and_outsider(server)
    meeting = room.new_meeting()
    room.set_current(meeting, None)
    item = room.new_item(meeting)
    secret = room.publish(make_pdf(4, marker="mật"), item_id=item, groups=(GROUP,))
    public = room.publish(make_pdf(3, marker="công khai"), item_id=item)
    ids = {d.number: d.id for d in room.delegates()}

    async def scenario() -> None:
        sec = await Recorder(await enrolled(server, tmp_path / "sec", "secretary")).start()
        member = await Recorder(await enrolled(server, tmp_path / "in", number=inside)).start()
        outsider = await Recorder(await enrolled(server, tmp_path / "out", number=outside)).start()
        show = p.PresentShow(id=0, document_id=secret.document_id, page=3, region=ZOOMED)
        await ask(sec.client, show)
        for follower in (member, outsider):
            await until(lambda f=follower: meeting in f.client.model.presentations)  # type: ignore[misc]
        shown = member.client.model.presentations[meeting]
        assert (shown.document_id, shown.page, shown.region) == (secret.document_id, 3, ZOOMED)
        assert shown.presenter_id is None  # the secretariat
        # the outsider knows something is presented and has nothing to open it with
        assert outsider.client.model.presentations[meeting].document_id == secret.document_id
        assert secret.document_id not in outsider.client.model.documents
        # a page turned is one event that replaces the presentation
        await ask(sec.client, p.PresentShow(id=0, document_id=secret.document_id, page=4))
        await until(lambda: member.client.model.presentations[meeting].page == 4)
        assert member.client.model.presentations[meeting].region == p.Region()
        # the state a reconnecting device gets says the same
        _seq, state = room.snapshot()
        assert [x.page for x in state.presentations if x.meeting_id == meeting] == [4]

        # a page the document does not have, a region past the page
        too_far = p.PresentShow(id=0, document_id=public.document_id, page=9)
        assert await refused(sec.client, too_far) is p.ErrorCode.INVALID_ARGUMENT
        past = p.Region(x=6_000, y=0, w=5_000, h=10_000)
        wide = p.PresentShow(id=0, document_id=public.document_id, page=1, region=past)
        assert await refused(sec.client, wide) is p.ErrorCode.INVALID_ARGUMENT

        # a delegate presents only with the role, and only what they may read
        mine = p.PresentShow(id=0, document_id=public.document_id, page=2)
        assert await refused(outsider.client, mine) is p.ErrorCode.FORBIDDEN
        await ask(sec.client, p.PresenterSet(id=0, item_id=item, delegate_id=ids[outside]))
        await until(lambda: room_item(outsider).presenter_id == ids[outside])
        # the secretariat is presenting: a delegate does not take the screen from it
        assert await refused(outsider.client, mine) is p.ErrorCode.CONFLICT
        await ask(sec.client, p.PresentStop(id=0, meeting_id=meeting))
        await until(lambda: meeting not in member.client.model.presentations)
        await ask(outsider.client, mine)
        await until(lambda: meeting in member.client.model.presentations)
        shown = member.client.model.presentations[meeting]
        assert (shown.presenter_id, shown.page) == (ids[outside], 2)
        assert shown.presenter_name  # the followers' screens say who presents
        theirs = p.PresentShow(id=0, document_id=secret.document_id, page=1)
        assert await refused(outsider.client, theirs) is p.ErrorCode.FORBIDDEN  # not a member
        # another delegate cannot stop it; the role taken back ends it
        stop = p.PresentStop(id=0, meeting_id=meeting)
        assert await refused(member.client, stop) is p.ErrorCode.FORBIDDEN
        await ask(sec.client, p.PresenterSet(id=0, item_id=item, delegate_id=None))
        await until(lambda: meeting not in member.client.model.presentations)

        # a presentation ends with its document, for the outsider too
        await ask(sec.client, show)
        await until(lambda: meeting in outsider.client.model.presentations)
        await ask(sec.client, p.DocumentWithdraw(id=0, document_id=secret.document_id))
        await until(lambda: meeting not in outsider.client.model.presentations)
        # and with its meeting
        await ask(sec.client, p.PresentShow(id=0, document_id=public.document_id, page=1))
        await until(lambda: meeting in outsider.client.model.presentations)
        await ask(sec.client, p.MeetingUpdate(id=0, meeting_id=meeting, status="closed"))
        await until(lambda: meeting not in outsider.client.model.presentations)
        _seq, state = room.snapshot()
        assert state.presentations == []
        for r in (sec, member, outsider):
            await r.stop()

    def room_item(r: Recorder) -> p.AgendaItem:
        return r.client.model.items[item]

    asyncio.run(scenario())
