"""Belarusian number and date formats (Django ships none for `be`, so numbers went ungrouped: 29312).

As Belarusian typography has them and as Django's Russian formats are: a non-breaking space groups thousands,
a comma marks decimals. Dates are numeric (16.03.2023): Django's Belarusian catalogue has no genitive month
names ("16 сакавіка" would come out "16 сакавік"); a month and year alone take the nominative ("сакавік 2023").
"""

DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "d.m.Y G:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "d.m"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
