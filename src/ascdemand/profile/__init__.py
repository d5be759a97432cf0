"""The council profile: one typed configuration for everything council-specific."""

from ascdemand.profile.model import GENERIC, CouncilProfile, District, StatusThresholds
from ascdemand.profile.parse import ProfileError, ProfileProblem, parse_profile

__all__ = [
    "GENERIC",
    "CouncilProfile",
    "District",
    "ProfileError",
    "ProfileProblem",
    "StatusThresholds",
    "parse_profile",
]
