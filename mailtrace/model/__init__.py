"""Frozen data classes shared across the parsers, the path reconstruction and the report."""

from mailtrace.model.addresses import Address
from mailtrace.model.fields import HeaderField, Message
from mailtrace.model.received import Endpoint, Received, ReceivingHost, TLSInfo

__all__ = ["Address", "Endpoint", "HeaderField", "Message", "Received", "ReceivingHost", "TLSInfo"]
