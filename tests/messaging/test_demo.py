from django.core.management import call_command

from familybridge.agencies.models import User
from familybridge.documents.models import Document
from familybridge.messaging.models import Message
from familybridge.messaging.selectors import unread_message_count


def test_the_demo_has_a_thread_with_a_reply_and_unread_messages_for_the_judge_and_the_caseworker(db):
    call_command("demo", no_serve=True)
    reply = Message.unrestricted.exclude(thread=None).get()
    assert (reply.sender.username, reply.thread.sender.username) == ("judge.okafor", "maria.alvarez")
    for username in ("judge.okafor", "maria.alvarez"):
        assert unread_message_count(User.objects.get(username=username)) > 0, username
    assert Message.unrestricted.filter(sender__username="rosa.nguyen").exists()
    # The caseworker's message to the court carries the family time log, attached as a document derived from it.
    [log] = Document.unrestricted.filter(title="Family time log")
    assert log.attached_record == f"messaging.message:{reply.thread_id}" and log.owner_agency.slug == "cedar-dcfs"
