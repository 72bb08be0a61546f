#!/usr/bin/perl
# gen-tables.pl: write src/unidata.c, the Unicode tables of text.c, from
# the Unicode database that comes with perl (Unicode::UCD and
# Unicode::Normalize).  A maintainer's tool, not part of the build:
#
#	perl src/unicode/gen-tables.pl > src/unidata.c
#
# The tables follow the Unicode version of the perl that runs this; the
# version is written into the file and named in dc-format(5).
use strict;
use warnings;
use Unicode::UCD qw(prop_invlist all_casefolds charinfo);
use Unicode::Normalize qw(getCanon isComp_Ex NFD);

my $version = Unicode::UCD::UnicodeVersion();
my $MAXCP = 0x10FFFF;

# The code points of a property, as a hash set.
sub set_of {
	my @list = prop_invlist($_[0]);
	my %set;

	die "no property $_[0]\n" unless @list;
	push @list, $MAXCP + 1 if @list % 2;
	for (my $i = 0; $i < @list; $i += 2) {
		$set{$_} = 1 for $list[$i] .. $list[$i + 1] - 1;
	}
	return \%set;
}

# Runs of code points with the same value: [first, last, value], for the
# code points whose value is true.
sub runs {
	my ($value) = @_;
	my @runs;

	for my $cp (sort { $a <=> $b } keys %$value) {
		my $v = $value->{$cp};
		next unless $v;
		if (@runs && $runs[-1][1] == $cp - 1 && $runs[-1][2] eq $v) {
			$runs[-1][1] = $cp;
		} else {
			push @runs, [$cp, $cp, $v];
		}
	}
	return @runs;
}

sub hex_cp { sprintf "0x%04X", $_[0] }
sub cps { map { ord } split //, $_[0] }
sub utf8_len { my $c = shift; $c < 0x80 ? 1 : $c < 0x800 ? 2 : $c < 0x10000 ? 3 : 4 }

print <<"END";
/* unidata.c: Unicode $version tables for text.c: display width, simple
 * case folding, and the data of normalization form C.  Written by
 * src/unicode/gen-tables.pl from perl's Unicode database; do not edit. */
#include "text.h"

const char unicode_version[] = "$version";
END

# ---- display width ----
my %width;
{
	my @zero = map { set_of($_) } ("gc=Mn", "gc=Mc", "gc=Me", "gc=Cf",
	    "Default_Ignorable_Code_Point");
	my $wide = set_of("East_Asian_Width=Wide");
	my $full = set_of("East_Asian_Width=Fullwidth");
	my $emoji = set_of("Emoji");
	my $pres = set_of("Emoji_Presentation");
	my $pict = set_of("Extended_Pictographic");
	my $modifier = set_of("Emoji_Modifier");
	my $ri = set_of("Regional_Indicator");
	my %cps;

	for my $s (@zero, $wide, $full, $emoji, $pres, $pict, $modifier, $ri) {
		$cps{$_} = 1 for keys %$s;
	}
	# Hangul vowels and final consonants join the leading consonant
	# before them into one wide syllable.
	$cps{$_} = 1 for 0x1160 .. 0x11FF, 0xD7B0 .. 0xD7FF;
	# display_width knows the ASCII emoji (keycaps) without the table.
	my $ascii = join "", map { chr } grep { $emoji->{$_} } 0 .. 0x7F;
	die "ASCII emoji: $ascii\n" unless $ascii eq "#*0123456789";
	for my $cp (keys %cps) {
		next if $cp < 0x80;
		my @f;
		if ((grep { $_->{$cp} } @zero) ||
		    ($cp >= 0x1160 && $cp <= 0x11FF) || ($cp >= 0xD7B0 && $cp <= 0xD7FF)) {
			push @f, "U_ZERO";
		} elsif ($wide->{$cp} || $full->{$cp} || $pres->{$cp}) {
			push @f, "U_WIDE";
		}
		push @f, "U_EMOJI" if $emoji->{$cp};
		push @f, "U_PICTO" if $pict->{$cp};
		push @f, "U_MODIFIER" if $modifier->{$cp};
		push @f, "U_REGIONAL" if $ri->{$cp};
		$width{$cp} = join(" | ", @f) if @f;
	}
}
# text.c takes these for plain one-column text without a look-up.
for my $cp (0x80 .. 0x2FF, 0x1EA0 .. 0x1EF9) {
	die sprintf("U+%04X: not plain text\n", $cp)
	    if $width{$cp} && $cp != 0xA9 && $cp != 0xAD && $cp != 0xAE;
}
my @w = runs(\%width);
print "\n/* Non-ASCII code points that are not one column of text. */\n";
print "const struct uni_width uni_width[] = {\n";
printf "\t{ { %s, %s }, %s },\n", hex_cp($_->[0]), hex_cp($_->[1]), $_->[2] for @w;
print "};\nconst size_t uni_nwidth = sizeof uni_width / sizeof uni_width[0];\n";

# ---- folding ----
# Simple case folding (CaseFolding.txt, status C and S) of a code point's
# canonical decomposition when that is one code point (Å, the Ångström
# sign, is Å) or one and marks of U+0300..U+036F (-i ignores those
# marks: Ấ folds to a); else of the code point itself.  The CJK
# compatibility ideographs, a thousand singletons, are left to NFC.
my %fold;
{
	my $all = all_casefolds();
	my %simple;

	for my $cp (keys %$all) {
		my $s = $all->{$cp}{simple};
		$simple{$cp} = hex($s) if $s ne "" && $all->{$cp}{status} =~ /^[CS]$/;
	}
	my $scf = sub { exists $simple{$_[0]} ? $simple{$_[0]} : $_[0] };
	for my $cp (0x80 .. $MAXCP) {
		next if $cp >= 0xD800 && $cp <= 0xDFFF;
		next if $cp >= 0x300 && $cp <= 0x36F;
		my $to = $scf->($cp);
		my @d = cps(NFD(chr $cp));
		if ($d[0] < 0x3000 && !grep { $_ < 0x300 || $_ > 0x36F } @d[1 .. $#d]) {
			$to = $scf->($d[0]);
		}
		next if $to == $cp;
		# vn_fold reserves room for half as much again as its input
		die sprintf("U+%04X folds longer than 3/2\n", $cp)
		    if 2 * utf8_len($to) > 3 * utf8_len($cp);
		$fold{$cp} = $to;
	}
}
# Runs of code points one or two apart with the same distance to their
# folds (A..Z, or the capitals of Ā ā Ă ă), or with the same fold (À..Å).
my @f;
for my $cp (sort { $a <=> $b } keys %fold) {
	my $d = $fold{$cp} - $cp;
	if (@f) {
		my $r = $f[-1];
		my $gap = $cp - $r->[1];
		if ($r->[3] == 0 && $gap == 1 && $fold{$cp} == $r->[2]) {
			$r->[1] = $cp;
			next;
		}
		if ($r->[3] != 0 && $d == $r->[2] && ($gap == 1 || $gap == 2) &&
		    ($r->[0] == $r->[1] || $gap == $r->[3])) {
			$r->[3] = $gap;
			$r->[1] = $cp;
			next;
		}
		if ($r->[0] == $r->[1] && $gap == 1 && $fold{$cp} == $fold{$r->[0]}) {
			@$r[1, 2, 3] = ($cp, $fold{$cp}, 0);
			next;
		}
	}
	push @f, [$cp, $cp, $d, 1];
}
print "\n/* step 1 or 2: cp folds to cp + delta; step 0: every one folds to delta. */\n";
print "const struct uni_fold uni_fold[] = {\n";
for (@f) {
	printf "\t{ { %s, %s }, %d, %d },\n", hex_cp($_->[0]), hex_cp($_->[1]), $_->[2], $_->[3];
}
print "};\nconst size_t uni_nfold = sizeof uni_fold / sizeof uni_fold[0];\n";

# ---- normalization form C ----
my (%ccc, %qc);
{
	my $maybe = set_of("NFC_Quick_Check=Maybe");
	my $no = set_of("NFC_Quick_Check=No");
	for my $cp (0 .. $MAXCP) {
		my $c = Unicode::Normalize::getCombinClass($cp);
		my $q = $no->{$cp} ? 2 : $maybe->{$cp} ? 1 : 0;
		$ccc{$cp} = "$c, $q" if $c || $q;
	}
}
# text.c takes these for starters already in NFC without a look-up.
for my $cp (0 .. 0x2FF, 0x1E00 .. 0x1EFF) {
	die sprintf("U+%04X: not a plain starter\n", $cp) if $ccc{$cp};
}
print "\n/* Canonical combining class, and NFC_Quick_Check (0 yes, 1 maybe, 2 no),\n";
print " * where either is not 0. */\n";
print "const struct uni_nfc uni_nfc[] = {\n";
for (runs(\%ccc)) {
	printf "\t{ { %s, %s }, %s },\n", hex_cp($_->[0]), hex_cp($_->[1]), $_->[2];
}
print "};\nconst size_t uni_nnfc = sizeof uni_nfc / sizeof uni_nfc[0];\n";

# Full canonical decompositions (Hangul syllables are left to code) and
# the pairs that compose: two-character decompositions that are not
# excluded from composition.
my (@decomp, @chars, @pairs);
for my $cp (0 .. $MAXCP) {
	next if $cp >= 0xAC00 && $cp <= 0xD7A3;
	next if $cp >= 0xD800 && $cp <= 0xDFFF;
	my $canon = getCanon($cp);
	next unless defined $canon;
	my @d = cps($canon);
	next if @d == 1 && $d[0] == $cp;
	die "long decomposition\n" if @d > 4;
	push @decomp, [$cp, scalar @chars, scalar @d];
	push @chars, @d;
	next if isComp_Ex($cp);
	my $info = charinfo($cp);
	my @one = map { hex } split / /, $info->{decomposition};
	push @pairs, [@one, $cp] if @one == 2;
}
print "\n/* Canonical decompositions: code point, start in uni_decomp_cp, length. */\n";
print "const struct uni_decomp uni_decomp[] = {\n";
printf "\t{ %s, %d, %d },\n", hex_cp($_->[0]), $_->[1], $_->[2] for @decomp;
print "};\nconst size_t uni_ndecomp = sizeof uni_decomp / sizeof uni_decomp[0];\n";
print "const uint32_t uni_decomp_cp[] = {\n";
for (my $i = 0; $i < @chars; $i += 8) {
	my $last = $i + 7 < $#chars ? $i + 7 : $#chars;
	print "\t", join(", ", map { hex_cp($_) } @chars[$i .. $last]), ",\n";
}
print "};\n";
@pairs = sort { $a->[0] <=> $b->[0] || $a->[1] <=> $b->[1] } @pairs;
print "\n/* Pairs that compose (first, second, composite), in order. */\n";
print "const struct uni_pair uni_pair[] = {\n";
printf "\t{ %s, %s, %s },\n", map { hex_cp($_) } @$_ for @pairs;
print "};\nconst size_t uni_npair = sizeof uni_pair / sizeof uni_pair[0];\n";
