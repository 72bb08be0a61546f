#!/usr/bin/perl
# gen-nfc.pl: write tests/unicode/nfc.tsv, strings and their NFC by
# perl's Unicode::Normalize, the oracle that tests/dc-add.bats compares
# dc-add with.  Run once by a maintainer when the tables change:
#
#	perl tests/unicode/gen-nfc.pl > tests/unicode/nfc.tsv
#
# The strings are random (a fixed seed: the same file every run) but
# drawn from what NFC has to get right: Vietnamese typed in any order of
# marks, Latin, Greek and Cyrillic letters with their marks, marks of
# other classes to reorder, Hangul syllables and jamo, kana with voicing
# marks, composition exclusions and singletons.
use strict;
use warnings;
use utf8;
use Unicode::Normalize qw(NFC NFD);

binmode STDOUT, ":encoding(UTF-8)";
srand(10);

my @bases = (
	0x41 .. 0x5A, 0x61 .. 0x7A, 0xC0 .. 0xFF, 0x100 .. 0x17F, 0x1A0, 0x1A1,
	0x1AF, 0x1B0, 0x1EA0 .. 0x1EF9, 0x391 .. 0x3A9, 0x3AC .. 0x3CE,
	0x1F00 .. 0x1F15, 0x1F70 .. 0x1F7D, 0x1FB3, 0x1FC3, 0x410 .. 0x44F,
	0x401, 0x451, 0x419, 0x439, 0x915 .. 0x939, 0x958 .. 0x95F,
	0xAC00 .. 0xAC20, 0xD7A3, 0x1100 .. 0x1112, 0x304B .. 0x3062,
	0x30AB .. 0x30C2, 0x212B, 0x2126, 0x212A, 0x5D0 .. 0x5EA, 0xFB2A .. 0xFB2F,
	0xF40, 0xF42, 0x1D157, 0x1D158, 0x1E9B, 0x0B47, 0x0DD9, 0x1B05, 0x11099,
);
my @marks = (
	0x300, 0x301, 0x303, 0x309, 0x323, 0x302, 0x306, 0x31B, 0x308, 0x30A,
	0x30C, 0x327, 0x328, 0x304, 0x307, 0x313, 0x314, 0x342, 0x345, 0x340,
	0x341, 0x343, 0x344, 0x316, 0x31C, 0x35C, 0x35D, 0x1DCE, 0x5B0 .. 0x5BC,
	0x5C1, 0x5C2, 0x93C, 0x94D, 0x3099, 0x309A, 0x1161 .. 0x1175,
	0x11A8 .. 0x11C2, 0xF71, 0xF72, 0xF74, 0xF80, 0x1D165, 0x1D16E,
	0x0B3E, 0x0B56, 0x0B57, 0x0DCA, 0x0DCF, 0x0DDF, 0x1B35, 0x110BA, 0x20D0,
	0x20E3,
);

# Vietnamese and its neighbours, as they are typed: base letter then
# marks, in NFD and in other orders.
my @words = ("Ngọc Lũ", "Nguyễn Thị Ánh", "Người", "Đặng", "Cường",
    "Peña", "Ångström", "café", "naïve", "Αθήνα", "ᾅδης", "Ёлка",
    "йод", "한국어", "がぎぐ", "क़िला", "Ω", "Å");

print "source\tnfc\n";
my %seen;
my @out;
for my $w (@words) {
	# as typed, decomposed, and decomposed with each letter's marks in
	# the other order
	my $turned = join "", map { s/^(.)(.*)$/$1 . reverse $2/er }
	    NFD($w) =~ /(\X)/g;
	push @out, $w, NFD($w), $turned;
}
for (1 .. 1500) {
	my $s = chr $bases[rand @bases];
	my $n = int rand 4;
	$s .= chr $marks[rand @marks] for 1 .. $n;
	$s .= chr $bases[rand @bases] if rand() < 0.5;
	$s .= chr $marks[rand @marks] if rand() < 0.5;
	push @out, $s;
}
for my $s (@out) {
	next if $seen{$s}++;
	print "$s\t", NFC($s), "\n";
}
